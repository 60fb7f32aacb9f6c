;; SRFI-35: define-condition-type with inherited fields, make-condition,
;; extract-condition, compound conditions, a condition missing a field.
(use-modules (srfi srfi-35))
(define-condition-type &c &condition c? (x c-x))
(define-condition-type &c1 &c c1? (a c1-a))
(define v (make-condition &c1 'x "x" 'a "a"))
(display (list (c? v) (c1? v) (c-x v) (c1-a v) (condition-type? &c) (condition-ref v 'x)))
(newline)
(define cc (make-compound-condition (make-condition &c 'x 1) (make-condition &message 'message "m")))
(display (list (c? cc) (message-condition? cc) (condition-message cc) (c-x (extract-condition cc &c))))
(newline)
(display (catch #t (lambda () (make-condition &c1 'x 1)) (lambda (k . a) k)))
(newline)
