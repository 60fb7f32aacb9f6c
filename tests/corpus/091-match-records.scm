;; match = (accessor) and $ (record) patterns.
(use-modules (ice-9 match) (srfi srfi-9))
(define-record-type <point> (make-point x y) point? (x point-x) (y point-y))
(define (where p)
  (match p
    (($ <point> 0 0) 'origin)
    (($ <point> x 0) (list 'on-x-axis x))
    (($ <point> x y) (list 'at x y))))
(write (map where (list (make-point 0 0) (make-point 3 0) (make-point 1 2)))) (newline)
(write (match (make-point 5 6) ((= point-y y) (* y 10)))) (newline)
(write (match '(1 2 3) ((= length 3) 'three-long) (_ 'other))) (newline)
(write (match "abc" ((= string->list (first . _)) first))) (newline)
