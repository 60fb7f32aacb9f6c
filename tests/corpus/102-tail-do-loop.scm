;; Long do loop and string accumulation in constant stack.
(define total
  (do ((i 0 (+ i 1)) (s 0 (+ s i))) ((= i 200000) s)))
(write total) (newline)
(define (fact n) (let loop ((n n) (acc 1)) (if (= n 0) acc (loop (- n 1) (* acc n)))))
(write (fact 30)) (newline)
(write (string-length (number->string (fact 200)))) (newline)
