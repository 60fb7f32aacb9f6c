;; String building typical of configuration files.
(define (kv key value) (string-append key " = " value))
(define lines (map kv '("listen" "user") '("0.0.0.0:22" "root")))
(display (string-join lines "\n")) (newline)
(define path-components '("" "var" "lib" "vsys"))
(write (string-join path-components "/")) (newline)
(write (string-append "--memory=" (number->string 2048) "M")) (newline)
(write (map (lambda (s) (string-append "-" s)) '("a" "b"))) (newline)
(write (string-join (map symbol->string '(x86_64 aarch64)) ",")) (newline)
