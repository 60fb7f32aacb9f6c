;; Immediately applied lambdas and procedures returning procedures.
(display ((lambda (x y) (* x y)) 6 7)) (newline)
(display (((lambda (x) (lambda (y) (- x y))) 10) 3)) (newline)
(define compose2 (lambda (f g) (lambda (x) (f (g x)))))
(display ((compose2 (lambda (x) (* x 2)) (lambda (x) (+ x 1))) 5)) (newline)
(write (map (lambda (x) (list x (* x x))) '(1 2 3))) (newline)
(write ((lambda () 'no-args))) (newline)
