;; Mutual recursion 100,000 deep in tail position.
(define (my-even? n) (if (= n 0) #t (my-odd? (- n 1))))
(define (my-odd? n) (if (= n 0) #f (my-even? (- n 1))))
(write (my-even? 100000)) (newline)
(write (my-odd? 100001)) (newline)
(write (my-even? 99999)) (newline)
