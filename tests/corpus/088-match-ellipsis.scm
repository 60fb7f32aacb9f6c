;; match with ... and ..1 repetition.
(use-modules (ice-9 match))
(write (match '(1 2 3 4) ((x ...) (apply + x)))) (newline)
(write (match '(define x 1 2 3) (('define name body ...) (list name body)))) (newline)
(write (match '((a 1) (b 2) (c 3)) (((names vals) ...) (list names vals)))) (newline)
(write (match '(1 2 3 last) ((xs ... l) (list xs l)))) (newline)
(write (match '() ((x ..1) 'some) (() 'none))) (newline)
(write (match '(7) ((x ..1) x))) (newline)
(write (match '((1 2) (3 4 5)) (((a b ...) ...) (list a b)))) (newline)
