;;; (system syntax): Guile's syntax objects belong to syntax-case, which vsys leaves out
;;; (its macros are syntax-rules); no vsys value is a syntax object.
(define-module (system syntax)
  #:export (syntax?))

(define (syntax? obj) #f)
