;;; (srfi srfi-71): let, let* and letrec whose clauses bind several values:
;;; (VAR ... EXPR) takes EXPR's values, ((values VAR ... . REST) EXPR) a rest list too.
;;; Plain clauses and named let mean what they mean in Scheme.
(define-module (srfi srfi-71)
  #:use-module ((guile) #:select ((let . core:let) (let* . core:let*)
                                  (letrec . core:letrec)))
  #:replace (let let* letrec)
  #:export (uncons unlist unvector)
  #:export-syntax (values->list values->vector))

;; let: every EXPR runs before any VAR is bound; each clause's values are kept in a
;; list, then the lists are spread over the variables.
(define-syntax let
  (syntax-rules ()
    ((_ (clause ...) body ...) (srfi-71-collect (clause ...) () body ...))
    ((_ name bindings body ...) (core:let name bindings body ...))))

(define-syntax srfi-71-collect
  (syntax-rules (values)
    ((_ () ((formals tmp expr) ...) body ...)
     (core:let ((tmp (call-with-values (lambda () expr) list)) ...)
       (srfi-71-spread ((formals tmp) ...) body ...)))
    ((_ (((values . formals) expr) rest ...) (done ...) body ...)
     (srfi-71-collect (rest ...) (done ... (formals tmp expr)) body ...))
    ((_ ((var ... expr) rest ...) (done ...) body ...)
     (srfi-71-collect (rest ...) (done ... ((var ...) tmp expr)) body ...))))

(define-syntax srfi-71-spread
  (syntax-rules ()
    ((_ () body ...) (core:let () body ...))
    ((_ ((formals tmp) rest ...) body ...)
     (apply (lambda formals (srfi-71-spread (rest ...) body ...)) tmp))))

(define-syntax let*
  (syntax-rules ()
    ((_ () body ...) (core:let () body ...))
    ((_ (clause rest ...) body ...) (let (clause) (let* (rest ...) body ...)))))

;; letrec: the clauses are internal definitions of a new body, so each EXPR sees every
;; variable, as letrec* does.
(define-syntax letrec
  (syntax-rules ()
    ((_ (clause ...) body ...) (core:let () (srfi-71-define clause) ... (core:let () body ...)))))

(define-syntax srfi-71-define
  (syntax-rules (values)
    ((_ ((values . formals) expr)) (define-values formals expr))
    ((_ (var ... expr)) (define-values (var ...) expr))))

(define (uncons pair) (values (car pair) (cdr pair)))
(define (unlist lst) (apply values lst))
(define (unvector vec) (apply values (vector->list vec)))

(define-syntax values->list
  (syntax-rules () ((_ expr) (call-with-values (lambda () expr) list))))
(define-syntax values->vector
  (syntax-rules () ((_ expr) (call-with-values (lambda () expr) vector))))
