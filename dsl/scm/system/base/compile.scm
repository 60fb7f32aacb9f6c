;;; (system base compile): vsys has one evaluator, so compiling an expression to a
;;; value is evaluating it in the given module.
(define-module (system base compile)
  #:export (compile))

(define* (compile x #:key (from 'scheme) (to 'value) (env (current-module))
                  (opts '()) (optimization-level 2) (warning-level 1))
  (unless (eq? to 'value)
    (error "compile: vsys compiles only to values, not to" to))
  (eval x env))
