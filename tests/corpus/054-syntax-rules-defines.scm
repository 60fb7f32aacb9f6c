;; Macros that expand into definitions at top level and in bodies.
(define-syntax define-getter
  (syntax-rules ()
    ((_ name value) (define (name) value))))
(define-getter get-five 5)
(write (get-five)) (newline)
(define-syntax define-constants
  (syntax-rules ()
    ((_ (name val) ...) (begin (define name val) ...))))
(define-constants (one 1) (two 2) (three 3))
(write (list one two three)) (newline)
(define (f)
  (define-getter inner 'in-body)
  (inner))
(write (f)) (newline)
