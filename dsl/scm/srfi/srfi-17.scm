;;; (srfi srfi-17): generalized set!.  The core's set! already calls (setter PROC); this
;;; module gives Guile's accessors their setters, as Guile's does.
(define-module (srfi srfi-17)
  #:replace (car cdr vector-ref string-ref setter)
  #:re-export (make-procedure-with-setter procedure-with-setter?)
  #:export (getter-with-setter))

(define car (make-procedure-with-setter (@ (guile) car) set-car!))
(define cdr (make-procedure-with-setter (@ (guile) cdr) set-cdr!))
(define vector-ref (make-procedure-with-setter (@ (guile) vector-ref) vector-set!))
(define string-ref (make-procedure-with-setter (@ (guile) string-ref) string-set!))
(define getter-with-setter make-procedure-with-setter)

;; As Guile's: (set! (setter PROC) NEW) is refused, setters being fixed once made.
(define setter
  (make-procedure-with-setter
   (@ (guile) setter)
   (lambda args
     (error "Setting setters is not supported for a good reason."))))
