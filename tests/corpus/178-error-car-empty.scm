;; (car '()) is a wrong-type error.
(define items '())
(display "items: ") (write items) (newline)
(display (car items)) (newline)
(display "never printed") (newline)
