;; apply with leading arguments.
(write (apply + '(1 2 3))) (newline)
(write (apply + 1 2 '(3 4))) (newline)
(write (apply list 'a '())) (newline)
(write (apply max 3 '(7 2))) (newline)
(write (apply string-append (map symbol->string '(a b c)))) (newline)
(write (apply map list '((1 2 3) (4 5 6)))) (newline)
(write (apply (lambda args (length args)) (iota 100))) (newline)
