;;; (ice-9 optargs): optional and keyword arguments.  define* and lambda* are core; the
;;; let- forms bind the elements of a rest list as lambda* would bind arguments.
(define-module (ice-9 optargs)
  #:re-export (define* lambda*)
  #:export-syntax (let-optional let-optional* let-keywords let-keywords* define*-public
                   defmacro* defmacro*-public))

;; (let-optional REST (BINDING ...) BODY ...): BINDING is VAR or (VAR DEFAULT); the
;; elements of the list REST give the variables their values, in order.
(define-syntax let-optional
  (syntax-rules ()
    ((_ rest (binding ...) body ...)
     (apply (lambda* (#:optional binding ...) body ...) rest))))

(define-syntax let-optional*
  (syntax-rules ()
    ((_ rest (binding ...) body ...)
     (apply (lambda* (#:optional binding ...) body ...) rest))))

;; (let-keywords REST ALLOW-OTHER-KEYS? (BINDING ...) BODY ...): the #:VAR VALUE pairs of
;; REST give the variables their values; others are an error unless ALLOW-OTHER-KEYS?.
(define-syntax let-keywords
  (syntax-rules ()
    ((_ rest #f (binding ...) body ...)
     (apply (lambda* (#:key binding ...) body ...) rest))
    ((_ rest other-keys (binding ...) body ...)
     (apply (lambda* (#:key binding ... #:allow-other-keys) body ...) rest))))

(define-syntax let-keywords*
  (syntax-rules ()
    ((_ rest other-keys (binding ...) body ...)
     (let-keywords rest other-keys (binding ...) body ...))))

(define-syntax define*-public
  (syntax-rules ()
    ((_ (name . formals) body ...)
     (begin (define* (name . formals) body ...) (export name)))))

(define-syntax defmacro*
  (syntax-rules ()
    ((_ name formals body ...)
     (define-macro name (lambda* formals body ...)))))

(define-syntax defmacro*-public
  (syntax-rules ()
    ((_ name formals body ...)
     (begin (defmacro* name formals body ...) (export name)))))
