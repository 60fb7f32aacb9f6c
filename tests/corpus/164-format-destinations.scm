;; format destinations: #f returns a string, #t writes to the current output port, a port writes there.
(define s (format #f "~a-~a" 1 2))
(write s) (newline)
(define r (format #t "printed ~a~%" 'now))
(write (string? s)) (newline)
(define out (open-output-string))
(format out "into ~s" "port")
(write (get-output-string out)) (newline)
(write (with-output-to-string (lambda () (format #t "captured ~a" 1)))) (newline)
