;; Macros that control evaluation order and count.
(define-syntax my-if
  (syntax-rules (then else)
    ((_ c then t else e) (cond (c t) (else e)))))
(write (my-if #t then 'yes else 'no)) (newline)
(write (my-if #f then 'yes else 'no)) (newline)
(define-syntax inc!
  (syntax-rules ()
    ((_ v) (set! v (+ v 1)))
    ((_ v n) (set! v (+ v n)))))
(define counter 0)
(inc! counter)
(inc! counter 10)
(write counter) (newline)
(define-syntax repeat
  (syntax-rules ()
    ((_ n body ...) (let loop ((k n)) (when (> k 0) body ... (loop (- k 1)))))))
(repeat 3 (display "hi "))
(newline)
