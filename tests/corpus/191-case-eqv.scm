;; case compares with eqv?: strings and lists never match, symbols and numbers do.
(define (f x)
  (case x
    (("a") 'string-matched)
    (((1 2)) 'list-matched)
    ((a) 'symbol-matched)
    ((2.5) 'float-matched)
    (else 'no-match)))
(write (map f (list (string-copy "a") '(1 2) 'a 2.5 5))) (newline)
(write (case (string->symbol "a") ((a) 'interned) (else 'not))) (newline)
(write (case #\A ((#\a) 'lower) ((#\A) 'upper))) (newline)
