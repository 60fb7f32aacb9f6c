;; Literals in syntax-rules patterns.
(define-syntax my-for
  (syntax-rules (in from to)
    ((_ x in lst body ...) (for-each (lambda (x) body ...) lst))
    ((_ x from a to b body ...) (do ((x a (+ x 1))) ((> x b)) body ...))))
(my-for e in '(a b c) (display e) (display " "))
(newline)
(my-for i from 1 to 4 (display (* i i)) (display " "))
(newline)
(define-syntax arrow
  (syntax-rules (=>)
    ((_ a => b) (list 'mapped a b))
    ((_ a b) (list 'plain a b))))
(write (arrow 1 => 2)) (newline)
(write (arrow 1 2)) (newline)
