;; Numeric comparison chains and predicates.
(write (list (< 1 2 3) (< 1 3 2) (<= 1 1 2) (> 3 2 1) (>= 3 3 3) (= 2 2 2) (= 2 2 3))) (newline)
(write (list (max 1 2.0) (min 1 2.0) (max 1/2 1/3))) (newline)
(write (list (integer? 2.0) (integer? 2.5) (rational? 2.5) (real? 1) (complex? 1))) (newline)
(write (list (inexact->exact 2.0) (inexact->exact 2.5) (exact->inexact 1/4))) (newline)
(write (list (number? 1) (number? "1") (zero? 0.0) (zero? -0.0))) (newline)
