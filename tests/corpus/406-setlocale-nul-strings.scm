;; setlocale as Guile: in the C locale a string with a NUL cannot go to the regexp
;; matcher; in a UTF-8 locale it can; an unknown locale is a system-error.
(use-modules (ice-9 regex))
(write (setlocale LC_ALL "C"))
(write (catch #t (lambda () (regexp-exec (make-regexp "ab+") (string #\a #\b (integer->char 0)))) (lambda (k . a) (list k a))))
(write (catch #t (lambda () (make-regexp (string #\a (integer->char 0)))) (lambda (k . a) k)))
(write (setlocale LC_CTYPE))
(write (setlocale LC_ALL "C.UTF-8"))
(write (regexp-exec (make-regexp "ab+") (string #\a #\b (integer->char 0))))
(write (catch #t (lambda () (setlocale LC_ALL "xx_YY.UTF-8")) (lambda a a)))
(newline)
(setlocale LC_ALL "")
