;; In Guile 3.0 strings, \xHH takes exactly two hex digits; a following ; is literal.
(write "\x41") (newline)
(write (string-length "\x41;")) (newline)
(write "\x41;") (newline)
(write "\x7e!") (newline)
(write (char->integer (string-ref "\xe9" 0))) (newline)
(write "\u03bb") (newline)
