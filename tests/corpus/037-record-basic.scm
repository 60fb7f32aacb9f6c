;; SRFI-9 records: constructor, predicate, accessors, modifiers.
(use-modules (srfi srfi-9))
(define-record-type <point>
  (make-point x y)
  point?
  (x point-x set-point-x!)
  (y point-y))
(define p (make-point 3 4))
(write (list (point-x p) (point-y p))) (newline)
(write (point? p)) (newline)
(write (point? 5)) (newline)
(write (point? (vector 3 4))) (newline)
(set-point-x! p 30)
(write (point-x p)) (newline)
