;; dynamic-wind after-thunks run when escaping with a continuation.
(define log '())
(define (note x) (set! log (cons x log)))
(define r
  (call-with-current-continuation
    (lambda (k)
      (dynamic-wind
        (lambda () (note 'in1))
        (lambda ()
          (dynamic-wind
            (lambda () (note 'in2))
            (lambda () (k 'escaped) (note 'not-reached))
            (lambda () (note 'out2))))
        (lambda () (note 'out1))))))
(write r) (newline)
(write (reverse log)) (newline)
