;; A handler returning from a non-continuable raise is itself an error.
(use-modules (srfi srfi-34))
(write (guard (e (#t 'outer-caught))
         (with-exception-handler
           (lambda (e) 'returned)
           (lambda () (raise 'non-continuable)))))
(newline)
(write (call-with-current-continuation
         (lambda (k)
           (with-exception-handler
             (lambda (e) (k (list 'escaped-with e)))
             (lambda () (raise 'boom))))))
(newline)
