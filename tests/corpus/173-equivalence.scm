;; eq?, eqv? and equal?.
(write (list (eq? 'a 'a) (eq? '() '()) (eq? #t #t) (eq? car car))) (newline)
(write (list (eqv? 1 1) (eqv? 1.5 1.5) (eqv? #\a #\a) (eqv? 100000000000000000000 100000000000000000000))) (newline)
(write (list (eqv? (list 1) (list 1)) (eqv? 2 2.0) (eqv? (string #\a) (string #\a)))) (newline)
(write (list (equal? '(1 (2 #(3))) (list 1 (list 2 (vector 3)))) (equal? "abc" "abc") (equal? 1 1.0))) (newline)
(define x (list 1 2))
(write (list (eq? x x) (eqv? x x) (equal? x (list 1 2)) (eq? x (list 1 2)))) (newline)
(write (list (equal? 1/2 2/4) (eqv? 1/2 0.5) (equal? #\a #\a))) (newline)
(write (list (eq? 'abc (string->symbol "abc")) (equal? (string #\a) "a"))) (newline)
