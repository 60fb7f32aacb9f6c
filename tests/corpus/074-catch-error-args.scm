;; What catch handlers receive for errors signalled by error and by primitives.
(define (args-of thunk) (catch #t thunk (lambda args args)))
(write (args-of (lambda () (error "boom" 1 "two" 'three)))) (newline)
(write (args-of (lambda () (error "no irritants")))) (newline)
(write (args-of (lambda () (error 'my-proc "symbol first" 5)))) (newline)
(write (args-of (lambda () (car '())))) (newline)
(write (args-of (lambda () (vector-ref (vector 1 2) 5)))) (newline)
(write (args-of (lambda () (+ 1 "a")))) (newline)
(write (args-of (lambda () (undefined-procedure 1)))) (newline)
