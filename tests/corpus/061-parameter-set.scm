;; A parameter called with a value (Guile) sets the current binding.
(define p (make-parameter 1))
(p 2)
(write (p)) (newline)
(parameterize ((p 3))
  (p 4)
  (write (p)) (newline))
(write (p)) (newline)
