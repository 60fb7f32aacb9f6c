;; call-with-stack-overflow-handler: past the limit the handler gets control and may
;; throw; the limit and the handler's answer are checked as Guile checks them.
(use-modules (system vm vm) (system vm frame))
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define (forever) (+ 1 (forever)))
(show (catch 'too-deep
        (lambda () (call-with-stack-overflow-handler 1000 forever
                     (lambda () (throw 'too-deep))))
        (lambda (key) key)))
;; the after thunk of a dynamic-wind overflows again while unwinding: caught the same
(show (catch 'too-deep
        (lambda ()
          (call-with-stack-overflow-handler 50
            (lambda () (dynamic-wind (lambda () #t) forever forever))
            (lambda () (throw 'too-deep))))
        (lambda (key) key)))
(for-each (lambda (limit)
            (show limit (catch #t (lambda () (call-with-stack-overflow-handler limit forever
                                                                                forever))
                          (lambda (key . args) key))))
          (list 0 -1 'x 2.0 (ash 1 64)))
(show (call-with-stack-overflow-handler 100000 (lambda () 'fine) forever))
(define (fac n) (if (zero? n) 1 (* n (fac (- n 1)))))
(show (call-with-stack-overflow-handler 1 (lambda () (fac 10)) (lambda () 1)))
;; a stack: the innermost frame is the make-stack call itself
(define s (make-stack #t))
(show (stack? s) (frame? (stack-ref s 0)) (stack? 's) (frame? 'f))
(show (frame-call-representation (stack-ref s 0)))
(show (frame-arguments (stack-ref s 0)))
