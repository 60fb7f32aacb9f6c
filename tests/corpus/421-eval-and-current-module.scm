;; eval runs in the module it is given; a define-module inside it changes the current
;; module only until eval returns, and a module defined that way is found again.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(define here (current-module))
(show (eval '(begin (define-module (corpus eval inner) #:export (v)) (define v 7)
                    (module-name (current-module)))
            (current-module)))
(show (eq? here (current-module)))
(use-modules (corpus eval inner))
(show v)
(show (eq? (interaction-environment) (current-module)))
(show (primitive-eval '(+ 1 2)) (eval '(* 6 7) (interaction-environment)))
;; save-module-excursion puts the current module back
(save-module-excursion
 (lambda () (set-current-module (resolve-module '(corpus eval inner)))
         (show (module-name (current-module)))))
(show (eq? here (current-module)))
;; Guile's core map refuses lists of different lengths; SRFI-1's stops at the shortest
(show (catch 'wrong-type-arg (lambda () ((@ (guile) map) + '(1 2) '(3))) (lambda (k who msg . rest) msg)))
(show (catch 'wrong-type-arg (lambda () ((@ (guile) for-each) values '(1 2 . 3))) (lambda (k who msg . rest) msg)))
(show ((@ (srfi srfi-1) map) + '(1 2) '(3)))
;; a keyword used as a value is a syntax error, in Guile's words
(show (catch 'syntax-error (lambda () (primitive-eval '(list and))) (lambda (k . rest) k)))
;; set-current-module at top level: the forms after it are the other module's
(define m (resolve-module '(corpus switched)))
(beautify-user-module! m)
(module-define! m 'home (current-module))
(set-current-module m)
(define only-in-m 'yes)
(set-current-module home)
(show (module-ref m 'only-in-m) (module-bound? (current-module) 'only-in-m))
;; R7RS's map and for-each, as (scheme base) has them, stop at the shortest list too
(show ((@ (scheme base) map) + '(1 2) '(3)))
