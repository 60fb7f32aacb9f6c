;; Guile's define-syntax-rule shorthand.
(define-syntax-rule (with-logging name body ...)
  (begin (display "enter ") (display name) (newline)
         (let ((result (begin body ...)))
           (display "leave ") (display name) (newline)
           result)))
(write (with-logging "compute" (+ 1 2) (* 3 4))) (newline)
(define-syntax-rule (unless-zero n expr) (if (zero? n) 'zero expr))
(write (list (unless-zero 0 (/ 1 0)) (unless-zero 2 (/ 1 2)))) (newline)
