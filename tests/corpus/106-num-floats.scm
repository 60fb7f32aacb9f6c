;; Printing inexact numbers of many magnitudes.
(for-each (lambda (x) (write x) (newline))
  (list 1.0 -1.0 0.0 -0.0 0.5 0.1 0.2 (+ 0.1 0.2) 1.5 3.14159 100.0 1234.5
        1e10 1e20 1e21 1e22 1.5e300 1e-3 1e-4 1e-5 1e-10 1.23e-7 123456789.0
        12345678901234567890.0 (/ 1.0 3) (/ 2.0 3) (sqrt 2) 6.02e23))
