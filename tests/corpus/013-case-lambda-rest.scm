;; case-lambda with a catch-all rest clause.
(define f
  (case-lambda
    ((a) (list 'one a))
    (args (list 'other args))))
(write (f 1)) (newline)
(write (f)) (newline)
(write (f 1 2 3)) (newline)
(define plus
  (case-lambda
    (() 0)
    ((x) x)
    ((x y) (+ x y))
    ((x y . zs) (apply plus (+ x y) zs))))
(write (list (plus) (plus 1) (plus 1 2) (plus 1 2 3 4))) (newline)
