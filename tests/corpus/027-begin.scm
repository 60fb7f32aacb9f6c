;; begin sequences expressions and returns the last; top-level begin splices defines.
(write (begin 1 2 3)) (newline)
(begin
  (define a 1)
  (define b 2))
(write (+ a b)) (newline)
(define x (begin (display "side effect ") 'value))
(write x) (newline)
(let ((n 0))
  (begin (set! n (+ n 1)) (set! n (* n 10)))
  (write n) (newline))
