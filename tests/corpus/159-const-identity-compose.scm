;; const, identity, compose, negate.
(write ((const 42))) (newline)
(write ((const 'k) 1 2 3)) (newline)
(write (map (const 0) '(a b c))) (newline)
(write (identity 'same)) (newline)
(write (map identity '(1 2))) (newline)
(write ((compose car cdr) '(1 2 3))) (newline)
(write ((compose (lambda (x) (* x 2)) (lambda (x) (+ x 1)) +) 1 2)) (newline)
(write (filter (negate even?) '(1 2 3 4))) (newline)
