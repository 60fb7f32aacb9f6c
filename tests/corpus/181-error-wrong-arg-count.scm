;; Calling a procedure with the wrong number of arguments.
(define (two a b) (list a b))
(write (two 1 2)) (newline)
(write (two 1)) (newline)
(display "never printed") (newline)
