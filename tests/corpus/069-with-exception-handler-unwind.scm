;; with-exception-handler with #:unwind? #t returns the handler's value from the call.
(define r
  (with-exception-handler
    (lambda (e) (list 'handled e))
    (lambda () (+ 1 (raise-exception 'oops)))
    #:unwind? #t))
(write r) (newline)
(define log '())
(define r2
  (with-exception-handler
    (lambda (e) (set! log (cons 'handler log)) 'recovered)
    (lambda ()
      (dynamic-wind
        (lambda () (set! log (cons 'in log)))
        (lambda () (error "failure"))
        (lambda () (set! log (cons 'out log)))))
    #:unwind? #t))
(write r2) (newline)
(write (reverse log)) (newline)
(write (with-exception-handler (lambda (e) 'unused) (lambda () 'normal) #:unwind? #t)) (newline)
