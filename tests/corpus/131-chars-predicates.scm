;; Character predicates and conversions.
(write (list (char-alphabetic? #\a) (char-alphabetic? #\1) (char-numeric? #\5) (char-whitespace? #\space) (char-whitespace? #\a))) (newline)
(write (list (char-upper-case? #\A) (char-lower-case? #\A))) (newline)
(write (list (char->integer #\A) (integer->char 97) (char->integer #\newline))) (newline)
(write (list (char=? #\a #\a) (char<? #\a #\b) (char-ci=? #\a #\A) (char>? #\a #\b))) (newline)
(write (list (char? #\a) (char? "a"))) (newline)
