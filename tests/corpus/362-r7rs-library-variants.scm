;;; Where R7RS's libraries export their own variant of a Guile core procedure.
(import (scheme base) (scheme char) (scheme inexact) (scheme write))
(define (show x) (write x) (newline))
(show (list (list-copy "foo") (list-copy '(3 . 4)) (list-copy '(6 7 8 . 9)) (list-copy '())))
(show (list (expt 0.0 0) (expt 0 0) (expt 2 3) (expt 0.0 2)))
(show (list (nan? 1.0+2.0i) (nan? +nan.0+5.0i) (nan? 1) (finite? 3.0+inf.0i) (finite? 1.0+2.0i)))
(show (list (string-upcase "ßa") (string-downcase "ΑΣ") (string-upcase "ǰ") (string-foldcase "ẞ")))
(show (string-length (string-downcase "İ")))
;; (scheme char)'s case changes are (ice-9 i18n)'s locale ones
(use-modules (ice-9 i18n))
(show (list (string-locale-upcase "ßa") (string-locale-downcase "ΑΣ") (char-locale-upcase #\ß)))
