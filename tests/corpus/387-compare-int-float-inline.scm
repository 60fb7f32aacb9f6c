;; Comparisons of an exact integer with a float, as compiled inline in a loop: exact
;; (2^53 + 1 is above 2^53 as a float), false with a NaN, and an unfold counting to a
;; float bound.
(use-modules (srfi srfi-1))
(define (show . xs) (for-each write xs) (newline))
(define (table a b) (list (< a b) (<= a b) (= a b) (>= a b) (> a b)))
(show (table 9007199254740993 9007199254740992.0) (table 1 1.0) (table 2 2.5))
(show (table 1 +nan.0) (table +nan.0 +nan.0) (table (expt 10 400) +inf.0) (table -0.0 0))
(show (length (unfold (lambda (x) (>= x 1e4)) identity 1+ 0)))
(let loop ((i 0) (n 0))
  (if (< i 10.5) (loop (+ i 1) (+ n 1)) (show n)))
