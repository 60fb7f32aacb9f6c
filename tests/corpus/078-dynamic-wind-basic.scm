;; dynamic-wind runs before, thunk, after in order and returns the thunk's value.
(define log '())
(define (note x) (set! log (cons x log)))
(write (dynamic-wind (lambda () (note 'before)) (lambda () (note 'during) 'result) (lambda () (note 'after))))
(newline)
(write (reverse log)) (newline)
(set! log '())
(dynamic-wind
  (lambda () (note 'outer-in))
  (lambda ()
    (dynamic-wind (lambda () (note 'inner-in)) (lambda () (note 'body)) (lambda () (note 'inner-out))))
  (lambda () (note 'outer-out)))
(write (reverse log)) (newline)
