;; Exception handlers and prompts together: a raise inside a prompt's body reaches the
;; handlers outside it, before unwinding, and a resumed continuation raises to its caller's.
(define (show . xs) (write xs) (newline))
(show 'continuable-across
  (with-exception-handler (lambda (e) (* e 10))
    (lambda () (call-with-prompt 'p (lambda () (+ 1 (raise-exception 4 #:continuable? #t))) (lambda (k) 'no)))))
(show 'throw-handler-across
  (catch 'x (lambda ()
    (with-throw-handler 'x (lambda () (call-with-prompt 'p (lambda () (throw 'x 1)) (lambda (k) 'no)))
      (lambda (key . args) (show 'pre-unwind key args))))
    (lambda (key . args) (list 'caught key args))))
(define k (call-with-prompt 'p (lambda () (+ 1 (abort-to-prompt 'p))) (lambda (k) k)))
(show 'resumed-under-handler
  (with-exception-handler (lambda (e) 100) (lambda () (k (raise-exception 'v #:continuable? #t)))))
(define k2 (call-with-prompt 'p (lambda () (car (abort-to-prompt 'p))) (lambda (k) k)))
(show 'error-after-resume (catch 'wrong-type-arg (lambda () (k2 5)) (lambda (key . args) key)))
