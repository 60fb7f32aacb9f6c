;; Numbers in strings: padding and formatting by hand.
(define (pad2 n) (if (< n 10) (string-append "0" (number->string n)) (number->string n)))
(write (string-append (pad2 7) ":" (pad2 5) ":" (pad2 30))) (newline)
(define (human-size bytes)
  (cond ((>= bytes (expt 1024 3)) (string-append (number->string (quotient bytes (expt 1024 3))) "G"))
        ((>= bytes (expt 1024 2)) (string-append (number->string (quotient bytes (expt 1024 2))) "M"))
        (else (string-append (number->string bytes) "B"))))
(write (map human-size (list 512 (* 3 1024 1024) (* 4 1024 1024 1024)))) (newline)
(write (number->string (/ 1 8.0))) (newline)
