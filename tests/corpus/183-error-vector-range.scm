;; Out-of-range vector index.
(define v (vector 1 2 3))
(write (vector-ref v 2)) (newline)
(write (vector-ref v 3)) (newline)
