;; The R7RS error procedure of (scheme base) keeps message and irritants apart.
(use-modules (srfi srfi-34)
             ((scheme base) #:select ((error . r7rs-error) error-object? error-object-message error-object-irritants)))
(define e (guard (c (#t c)) (r7rs-error "Something failed:" 'disk 42 "text")))
(write (error-object? e)) (newline)
(write (error-object-message e)) (newline)
(write (error-object-irritants e)) (newline)
(define e2 (guard (c (#t c)) (r7rs-error "alone")))
(write (list (error-object-message e2) (error-object-irritants e2))) (newline)
