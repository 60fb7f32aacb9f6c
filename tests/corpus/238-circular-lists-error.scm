;; Circular and improper lists given to apply and append! are errors at once, never a
;; hang.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define (circular) (let ((l (list 1 2 3))) (set-cdr! (cddr l) (cdr l)) l))
(define (key-of thunk) (catch #t thunk (lambda (key . args) key)))

(show (key-of (lambda () (apply + (circular)))))
(show (key-of (lambda () (apply + 1 '(2 . 3)))))
(show (apply + 1 2 '(3 4)) (apply list '()))
(show (key-of (lambda () (append! (cons 1 2) '()))))
(show (key-of (lambda () (append! (list 1) (cons 2 3) (list 4)))))
(show (append! (list 1) '() (list 2 3) '()))
