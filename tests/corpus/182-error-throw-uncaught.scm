;; An uncaught throw.
(display "about to throw") (newline)
(catch 'other (lambda () (throw 'my-key 1 2)) (lambda args (display "wrong handler")))
(display "never printed") (newline)
