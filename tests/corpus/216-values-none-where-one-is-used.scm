;; No value at all where one is used is an error, as it is in Guile.
(display "before") (newline)
(define (nothing) (values))
(nothing)
(display "a call whose value is not used may give none") (newline)
(write (list (nothing)))
(display "never printed") (newline)
