;; parameterize is undone when leaving by an escape or an error.
(define p (make-parameter 'outside))
(call-with-current-continuation
  (lambda (k)
    (parameterize ((p 'inside))
      (k 'escaped))))
(write (p)) (newline)
(catch #t
  (lambda () (parameterize ((p 'in-error)) (error "fail")))
  (lambda args #f))
(write (p)) (newline)
(define (get) (p))
(write (map (lambda (v) (parameterize ((p v)) (get))) '(1 2 3))) (newline)
