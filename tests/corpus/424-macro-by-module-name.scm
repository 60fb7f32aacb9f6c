;; A macro named with @@ expands as in its own module; (the-environment) written by a
;; macro is the macro's environment: its bindings and its module's names.
(define-module (corpus macros a)
  #:use-module (ice-9 local-eval))
(define z 3)
(define helper 'from-a)
(define-syntax-rule (test) (let ((x 1) (y 2)) (the-environment)))
(define-syntax-rule (twice e) (list e e helper))

(define-module (corpus macros b)
  #:use-module (ice-9 local-eval))
(define helper 'from-b)
(write ((@@ (corpus macros a) twice) 5))
(newline)
(write (let ((x 111) (y 222)) (local-eval '(list x y z helper) ((@@ (corpus macros a) test)))))
(newline)
(write (let ((x 111)) (local-eval '(list x helper) (the-environment))))
(newline)
