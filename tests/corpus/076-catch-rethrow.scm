;; Rethrowing from a catch handler, and catch with a pre-unwind handler order.
(define (risky n)
  (if (> n 2) (throw 'too-big n) n))
(write (catch 'too-big
         (lambda ()
           (catch 'too-big
             (lambda () (risky 5))
             (lambda (k n) (throw k (* n 100)))))
         (lambda (k n) (list 'finally n))))
(newline)
(write (map (lambda (n) (catch 'too-big (lambda () (risky n)) (lambda (k n) (- n)))) '(1 2 3 4)))
(newline)
(define trace '())
(catch 'x
  (lambda () (throw 'x 'v))
  (lambda (k v) (set! trace (cons (list 'handler v) trace)))
  (lambda (k v) (set! trace (cons (list 'pre-unwind v) trace))))
(write (reverse trace)) (newline)
