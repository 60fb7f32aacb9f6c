;; object->string and number/string round trips.
(write (object->string '(1 "a" #\b))) (newline)
(write (object->string "s" display)) (newline)
(write (string->number (number->string 1/3))) (newline)
(write (string->number (number->string 0.1))) (newline)
(write (symbol->string (string->symbol "round-trip"))) (newline)
(write (string->list (list->string (list #\a #\b)))) (newline)
(write (with-input-from-string (object->string '(a (b . c) #(1))) read)) (newline)
