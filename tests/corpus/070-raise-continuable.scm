;; raise-continuable: the handler's value returns to the raise point.
(use-modules (ice-9 exceptions))
(write (with-exception-handler
         (lambda (c) (* c 10))
         (lambda () (+ 1 (raise-continuable 4)))))
(newline)
(define (ask question)
  (raise-continuable (list 'need question)))
(write (with-exception-handler
         (lambda (c) (if (equal? c '(need name)) "guile" "?"))
         (lambda () (string-append "hello " (ask 'name)))))
(newline)
(write (with-exception-handler
         (lambda (c) 'outer)
         (lambda ()
           (with-exception-handler
             (lambda (c) (raise-continuable (list 'inner-saw c)))
             (lambda () (raise-continuable 'x))))))
(newline)
