;; An uncaught (error ...) with irritants.
(define (check-memory mb)
  (if (< mb 128) (error "memory too small:" mb) mb))
(display (check-memory 512)) (newline)
(display (check-memory 1)) (newline)
(display "never printed") (newline)
