;; quasiquote inside vectors.
(define n 3)
(define items '(x y))
(write `#(1 ,n)) (newline)
(write `#(a ,@items b)) (newline)
(write `(v #(,n ,(* n n)))) (newline)
(write `#()) (newline)
(write (vector? `#(,n))) (newline)
