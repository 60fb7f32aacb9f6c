;; Nested quasiquote levels: only the innermost matching level is evaluated.
(define x 'outer)
(define y '(1 2))
(write `(1 `(2 ,(3 ,x)))) (newline)
(write `(1 `(2 ,(3 ,@y)))) (newline)
(write `(a `(b ,,x))) (newline)
(write `(a `(b ,@,y))) (newline)
(write ``,,x) (newline)
(write `(quasiquote (unquote ,x))) (newline)
