;; exit with a status code ends the program; pending dynamic-wind after thunks run first.
(display "working") (newline)
(dynamic-wind
  (lambda () #f)
  (lambda () (exit 3))
  (lambda () (display "cleanup") (newline)))
(display "never printed") (newline)
