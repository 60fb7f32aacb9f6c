;;; (system base compile): vsys has one evaluator, so compiling an expression to a
;;; value is evaluating it in the given module.
(define-module (system base compile)
  #:export (compile default-warning-level default-optimization-level))

;; Programs set these around compile; vsys's evaluator has no optimisation or warning
;; levels, so they only carry the value a program gives them.
(define default-warning-level (make-parameter 1))
(define default-optimization-level (make-parameter 2))

(define* (compile x #:key (from 'scheme) (to 'value) (env (current-module))
                  (opts '()) (optimization-level 2) (warning-level 1))
  (unless (eq? to 'value)
    (error "compile: vsys compiles only to values, not to" to))
  (eval (%freeze-constants! x) env))   ; compiled constants cannot be changed
