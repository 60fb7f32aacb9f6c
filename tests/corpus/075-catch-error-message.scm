;; Formatting the message from a catch handler with the usual arguments.
(define (message-of thunk)
  (catch #t thunk
    (lambda (key subr fmt args rest)
      (apply format #f fmt args))))
(write (message-of (lambda () (error "Cannot open" "/etc/x" 13)))) (newline)
(write (message-of (lambda () (error "simple")))) (newline)
(write (message-of (lambda () (car 5)))) (newline)
(write (message-of (lambda () (throw 'custom 'proc "value ~a is ~s" (list 1 "one") #f)))) (newline)
