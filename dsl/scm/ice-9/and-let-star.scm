;;; (ice-9 and-let-star): the and-let* of SRFI-2 under its older Guile name.
(define-module (ice-9 and-let-star)
  #:use-module (srfi srfi-2)
  #:re-export (and-let*))
