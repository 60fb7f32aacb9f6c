;; Number edge cases: division families with infinities, inexact powers of negative
;; bases, logarithms of exact numbers beyond the range of a float, round-ash of huge
;; shifts.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define (qr f n d) (call-with-values (lambda () (f n d)) list))

(show (qr floor/ +inf.0 10) (qr truncate/ +inf.0 10) (qr floor/ -25 +inf.0)
      (qr round/ 25 -inf.0) (qr euclidean/ -25.0 +inf.0) (qr truncate/ 7.0 2))
(show (expt -2.0 2.0) (expt -2 -3.0) (expt 0 -1.0) (expt 2 10) (expt 2.0 0.5))
(show (log (- (expt 10 100000))) (log (expt 10 400)) (log -1))
(show (round-ash 123 (- (expt 2 1000))) (round-ash -5 -1) (round-ash 7 -1) (round-ash 3 2))
(show (catch 'numerical-overflow (lambda () (round-ash 1 (expt 2 40))) (lambda (k . a) k)))
(show (eqv? 0.0+0.0i 0.0-0.0i) (eqv? 1.0+2.0i 1.0+2.0i) (equal? 0.0+0.0i -0.0+0.0i))
(show (max -0.0 0.0) (max -0.0 0) (min 0.0 -0.0) (min 0 -0.0) (max 1 2.0))
(show (log10 (expt 10 -100000)) (log10 1/100) (log10 100))
