;; Arithmetic over lists of numbers.
(write (apply + (iota 101))) (newline)
(write (apply * (iota 10 1))) (newline)
(write (apply max '(3 9 2 7))) (newline)
(write (exact->inexact (/ (apply + '(1 2 3 4)) 4))) (newline)
(write (/ (apply + '(1 2 3 4)) 4)) (newline)
(write (map (lambda (c) (+ 32 (* 9/5 c))) '(0 100 37 -40))) (newline)
(write (map (lambda (c) (+ 32 (* 1.8 c))) '(0 100 -40))) (newline)
