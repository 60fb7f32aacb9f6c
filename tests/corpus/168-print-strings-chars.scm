;; write vs display for strings and characters inside structures.
(define items (list "a\"b" #\a #\space "tab\t" "" #\newline))
(write items) (newline)
(display items) (newline)
(write (vector "x" #\y)) (newline)
(display (vector "x" #\y)) (newline)
(write (cons "car" "cdr")) (newline)
(display (cons "car" "cdr")) (newline)
