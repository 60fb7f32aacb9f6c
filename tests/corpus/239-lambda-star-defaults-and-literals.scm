;; Optional and keyword defaults see the parameters before them and, beyond those, the
;; enclosing scope (the outer x, not the parameter being bound); string literals are
;; distinct objects.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define x 5)
(define* (f #:key (x x)) x)
(show (f) (f #:x 2))
(define* (g #:optional (car car)) (car '(1 2)))
(show (g))
(define* (h a #:optional (b (* a 2)) #:key (c (+ a b))) (list a b c))
(show (h 1) (h 1 5) (h 1 5 #:c 0))
(define (lit) "abc")
(show (eq? "this" "this") (memq "ab" (list "ab" "b")) (eq? (lit) (lit))
      (let ((s "xyz")) (eq? s s)) (equal? "ab" "ab"))
