;; An uncaught raise of a non-condition object.
(use-modules (srfi srfi-34))
(display "raising") (newline)
(raise 'custom-condition)
(display "never printed") (newline)
