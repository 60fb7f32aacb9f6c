;; An uncaught error inside dynamic-wind: output before the error is kept.
(display "start") (newline)
(dynamic-wind
  (lambda () (display "in") (newline))
  (lambda () (string-append "a" 5))
  (lambda () (display "out") (newline)))
