;; Symbols built at run time compare with eq?.
(define (make-name prefix n) (string->symbol (string-append (symbol->string prefix) "-" (number->string n))))
(define names (map (lambda (n) (make-name 'vm n)) '(1 2 3)))
(write names) (newline)
(write (eq? (car names) 'vm-1)) (newline)
(write (memq 'vm-2 names)) (newline)
