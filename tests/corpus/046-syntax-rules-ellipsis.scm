;; Ellipsis patterns: zero or more, with tails and in templates.
(define-syntax my-list
  (syntax-rules () ((_ x ...) (list x ...))))
(write (my-list)) (newline)
(write (my-list 1 (+ 1 1) 3)) (newline)
(define-syntax last-of
  (syntax-rules () ((_ x ... y) 'y)))
(write (last-of a b c d)) (newline)
(define-syntax pairs
  (syntax-rules () ((_ (a b) ...) (list (cons 'a b) ...))))
(write (pairs (x 1) (y 2) (z 3))) (newline)
(define-syntax middle
  (syntax-rules () ((_ first x ... last) '(x ...))))
(write (middle 1 2 3 4 5)) (newline)
(write (middle 1 2)) (newline)
