;; Exact integer arithmetic.
(write (list (+ 1 2) (- 10 3) (* 4 5) (- 7) (+) (*))) (newline)
(write (list (quotient 17 5) (remainder 17 5) (modulo 17 5))) (newline)
(write (list (quotient -17 5) (remainder -17 5) (modulo -17 5))) (newline)
(write (list (quotient 17 -5) (remainder 17 -5) (modulo 17 -5))) (newline)
(write (list (abs -7) (min 3 1 2) (max 3 1 2) (gcd 12 18) (lcm 4 6))) (newline)
(write (list (even? 0) (odd? -3) (zero? 0) (positive? -1) (negative? -1))) (newline)
(write (list (exact? 5) (inexact? 5) (integer? 5) (number? 'a))) (newline)
