;; With (scheme base) imported, error keeps the message and irritants apart.
(use-modules (scheme base))
(define e (guard (e (#t e)) (error "bad thing" 1 2)))
(write (error-object-message e)) (write (error-object-irritants e)) (newline)
(define e2 (guard (e (#t e)) (error "no irritants")))
(write (error-object-message e2)) (write (error-object-irritants e2)) (newline)
(write (list (error-object? e) (error-object? 42))) (newline)
(write (guard (e ((string? e) (string-append e "!"))) (raise "str"))) (newline)
(write (guard (e ((error-object? e) (error-object-irritants e))) (error "x" 'a "b" #\c))) (newline)
