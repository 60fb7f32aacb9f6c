;; Case conversion.
(write (string-upcase "Hello, World!")) (newline)
(write (string-downcase "Hello, World!")) (newline)
(write (string-titlecase "hello wide world")) (newline)
(write (map char-upcase (string->list "abc"))) (newline)
(write (list (char-upcase #\a) (char-downcase #\A) (char-upcase #\1))) (newline)
(write (string-upcase "straße")) (newline)
