;; Dotted patterns and vector patterns in syntax-rules.
(define-syntax split
  (syntax-rules ()
    ((_ (a . b)) '(head a tail b))))
(write (split (1 2 3))) (newline)
(write (split (1))) (newline)
(define-syntax vec-sum
  (syntax-rules ()
    ((_ #(x ...)) (+ x ...))))
(write (vec-sum #(1 2 3 4))) (newline)
(define-syntax my-lambda
  (syntax-rules ()
    ((_ args body) (lambda args body))))
(write ((my-lambda (a . rest) (list a rest)) 1 2 3)) (newline)
