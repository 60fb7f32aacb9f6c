;; An unbound variable ends the program with a non-zero status after earlier output.
(display "before") (newline)
(define (f x) (+ x undefined-thing))
(display (f 1)) (newline)
(display "never printed") (newline)
