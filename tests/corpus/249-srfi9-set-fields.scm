;; (srfi srfi-9 gnu)'s functional setters: set-field through nested records and
;; set-fields, leaving the original unchanged; a non-record is a wrong-type-arg.
(use-modules (srfi srfi-9) (srfi srfi-9 gnu))
(define-record-type foo (make-foo x z) foo? (x foo-x) (z foo-z set-foo-z!))
(define-record-type bar (make-bar i j) bar? (i bar-i) (j bar-j))
(define s (make-foo (make-bar 1 2) 'z))
(display (list (bar-j (foo-x (set-field s (foo-x bar-j) 3))) (foo-z (set-field s (foo-z) 'new)) (bar-j (foo-x s))))
(newline)
(define t (set-fields s ((foo-z) 9) ((foo-x bar-i) 7)))
(display (list (foo-z t) (bar-i (foo-x t)) (bar-j (foo-x t))))
(newline)
(display (catch 'wrong-type-arg (lambda () (set-field 4 (foo-x bar-j) 3)) (lambda (k . a) k)))
(newline)
