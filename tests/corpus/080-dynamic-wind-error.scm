;; dynamic-wind after-thunks run when an error unwinds through them.
(define log '())
(define (note x) (set! log (cons x log)))
(catch #t
  (lambda ()
    (dynamic-wind
      (lambda () (note 'before))
      (lambda () (note 'body) (error "fail") (note 'not-reached))
      (lambda () (note 'after))))
  (lambda (key . args) (note (list 'handler key))))
(write (reverse log)) (newline)
(set! log '())
(catch 'k
  (lambda ()
    (dynamic-wind
      (lambda () (note 'a-in))
      (lambda () (dynamic-wind (lambda () (note 'b-in)) (lambda () (throw 'k)) (lambda () (note 'b-out))))
      (lambda () (note 'a-out))))
  (lambda (k) (note 'caught)))
(write (reverse log)) (newline)
