;; floor/ truncate/ and friends.
(call-with-values (lambda () (floor/ 7 2)) (lambda (q r) (write (list q r))))
(call-with-values (lambda () (floor/ -7 2)) (lambda (q r) (write (list q r))))
(call-with-values (lambda () (truncate/ -7 2)) (lambda (q r) (write (list q r))))
(newline)
(write (list (floor-quotient -7 2) (floor-remainder -7 2) (truncate-quotient -7 2) (truncate-remainder -7 2))) (newline)
(write (list (euclidean-quotient -7 2) (euclidean-remainder -7 2))) (newline)
(write (list (exact-integer? 5) (exact-integer? 5.0) (exact-integer? 1/2))) (newline)
(write (list (1+ 41) (1- 43))) (newline)
