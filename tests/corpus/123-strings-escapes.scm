;; String escapes as written and displayed.
(define s "tab\there\nnewline \"quoted\" back\\slash")
(write s) (newline)
(display s) (newline)
(write "\x41\x62") (newline)
(write (string #\a (integer->char 0) #\b)) (newline)
(write (string (integer->char 7) (integer->char 8) (integer->char 27) (integer->char 127))) (newline)
(write "line one \
   continued") (newline)
(write (string-length "a\nb")) (newline)
(write "λ unicode é") (newline)
(display "λ unicode é") (newline)
(write (string #\return #\vtab #\page)) (newline)
