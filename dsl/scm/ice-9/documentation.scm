;;; (ice-9 documentation): the documentation string of a procedure or macro.
(define-module (ice-9 documentation)
  #:export (object-documentation))

(define (object-documentation object)
  (and (procedure? object) (procedure-documentation object)))
