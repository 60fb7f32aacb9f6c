;; R7RS promises from (scheme lazy): make-promise of a value, delay-force.
(use-modules (scheme lazy))
(write (force (make-promise 'ready))) (newline)
(write (promise? (make-promise 1))) (newline)
(write (force (delay-force (delay 'deep)))) (newline)
(define (loop n) (if (= n 0) (delay 'done) (delay-force (loop (- n 1)))))
(write (force (loop 1000))) (newline)
(define r (delay (+ 1 2)))
(write (list (force r) (force r))) (newline)
