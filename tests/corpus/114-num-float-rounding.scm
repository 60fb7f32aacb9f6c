;; Shortest round-trip float printing.
(for-each (lambda (x) (write x) (display " "))
  (list 0.3 (* 3 0.1) 2.675 1.005 (/ 22.0 7) 9007199254740993.0 4.35 (* 100 1.1) 1e100 5e-324 1.7976931348623157e308))
(newline)
(write (exact->inexact 2/3)) (newline)
(write (* 1.0 (expt 2 60))) (newline)
(write (+ 0.1 0.7)) (newline)
