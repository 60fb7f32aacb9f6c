;;; (srfi srfi-31): rec, a self-referring procedure or value.
(define-module (srfi srfi-31)
  #:export-syntax (rec))

(define-syntax rec
  (syntax-rules ()
    ((_ (name . formals) body ...) (letrec ((name (lambda formals body ...))) name))
    ((_ name expr) (letrec ((name expr)) name))))
