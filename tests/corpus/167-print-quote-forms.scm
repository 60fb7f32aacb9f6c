;; Quote-like forms are printed as plain lists.
(write ''a) (newline)
(write '`(a ,b ,@c)) (newline)
(write '(quote a b)) (newline)
(write '(quote)) (newline)
(write '#'x) (newline)
(display ''a) (newline)
(write (list 'quote 'x)) (newline)
(write '(1 . 'x)) (newline)
