;;; After install-r7rs! the rest of the file, and `read`, take R7RS syntax:
;;; |symbols|, \x41; escapes, hungry backslash-newlines; #!fold-case in a port.
(define (show x) (write x) (newline))
(show (read (open-input-string "|a b|")))            ; before: two symbols' worth
(install-r7rs!)
(show '|a b|)
(show (symbol->string '|H\x65;llo|))
(show "\x41;\x3bb;z")
(show "line 1\
       continued")
(show (read (open-input-string "|x\\x7c;y|")))
(show (read (open-input-string "\"\\x03BB;\"")))
(define p (open-input-string "#!fold-case ABC #\\A \"Str\" Def #!no-fold-case Ghi"))
(let loop ((x (read p)))
  (unless (eof-object? x)
    (show x)
    (loop (read p))))
(show (map (lambda (s) (read (open-input-string s)))
           '("#;(skip) kept" "#| c |# after" "(a . b)")))
(show (catch 'read-error
        (lambda () (read (open-input-string "\"\\x41\"")))
        (lambda (key . rest) key)))
(show (memq 'r7rs-symbols (read-options)))
(read-disable 'r7rs-symbols)
(show (read (open-input-string "|a|")))
;; a port follows the case-insensitive option until a directive read from it decides
(define q (open-input-string "ABC DEF (G #!fold-case H) IJ"))
(show (read q))
(read-enable 'case-insensitive)
(show (read q))
(read-disable 'case-insensitive)
(show (list (read q) (read q)))
