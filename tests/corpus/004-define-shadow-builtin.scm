;; A local binding may shadow a builtin without affecting it elsewhere.
(define (f list) (car list))
(display (f '(9 8 7))) (newline)
(display (list 1 2 3)) (newline)
(let ((+ -))
  (display (+ 10 3)) (newline))
(display (+ 10 3)) (newline)
(define (g car) (car 5))
(display (g (lambda (n) (* n 2)))) (newline)
