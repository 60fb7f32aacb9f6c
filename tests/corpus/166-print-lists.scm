;; write and display of nested lists and dotted pairs.
(define data '(1 (2 (3 (4))) (a . b) (c d . e) () (()) ((1 . 2) 3)))
(write data) (newline)
(display data) (newline)
(write (cons 1 (cons 2 '()))) (newline)
(write (cons (cons 1 2) (cons 3 4))) (newline)
(write (list (list))) (newline)
(write '(1 . (2 . (3 . ())))) (newline)
