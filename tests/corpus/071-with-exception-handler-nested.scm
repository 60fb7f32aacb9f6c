;; Nested handlers: inside a handler, the outer handler is current.
(use-modules (ice-9 exceptions))
(write (with-exception-handler
         (lambda (e) (list 'outer e))
         (lambda ()
           (with-exception-handler
             (lambda (e) (raise-exception (list 'inner e)))
             (lambda () (raise-exception 'base))))
         #:unwind? #t))
(newline)
(write (with-exception-handler
         (lambda (e) (list 'outer-continued e))
         (lambda ()
           (with-exception-handler
             (lambda (e) (raise-continuable (list 'inner e)))
             (lambda () (raise-continuable 'base))))))
(newline)
