;; Comparing and sorting strings.
(write (sort '("pear" "apple" "fig" "Banana") string<?)) (newline)
(write (sort '("pear" "apple" "fig" "Banana") string-ci<?)) (newline)
(write (list (string<? "abc" "abd") (string<? "ab" "abc") (string=? "a" "a" "a"))) (newline)
(write (list (string<=? "a" "a") (string>=? "b" "a"))) (newline)
(write (equal? "abc" (string #\a #\b #\c))) (newline)
