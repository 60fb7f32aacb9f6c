;; match with no matching clause is an error.
(use-modules (ice-9 match))
(define (f x) (match x ((a b) (+ a b))))
(write (f '(1 2))) (newline)
(write (f '(1 2 3))) (newline)
