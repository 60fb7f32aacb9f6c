;; write of numbers, symbols and keywords in lists.
(write (list 1 -2 3/4 -5.5 1e25 0.001 'sym 'UPPER #:key "s")) (newline)
(display (list 1 -2 3/4 -5.5 1e25 0.001 'sym 'UPPER #:key "s")) (newline)
(write (string->symbol "has space")) (newline)
(display (string->symbol "has space")) (newline)
(write (list (string->symbol "#foo") (string->symbol "1abc") (string->symbol "-"))) (newline)
