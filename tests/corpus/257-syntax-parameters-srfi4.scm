;; define-syntax-parameter and syntax-parameterize (a macro's meaning changed for the
;; code it encloses, macro expansions included; syntax-violation outside); SRFI-4
;; numeric vectors over bytevectors.
(use-modules (srfi srfi-4) (rnrs bytevectors))
(define-syntax-parameter push
  (lambda (stx) (syntax-violation 'push "push used outside of collect" stx)))
(define-syntax-rule (collect expr ...)
  (let ((stack '()))
    (syntax-parameterize ((push (syntax-rules () ((push val) (set! stack (cons val stack))))))
      expr ...
      (reverse stack))))
(define-syntax-rule (push-twice v) (begin (push v) (push v)))
(display (collect (push 1) (push-twice 2) (push 3)))
(newline)
(display (catch 'syntax-error (lambda () (eval '(push 3) (current-module)))
                (lambda (k who what . rest) (list k who what))))
(newline)
(define v (make-u32vector 2 #xFFFFFFFF))
(display (list (u32vector-length v) (u32vector-ref v 1) (bytevector-length v)
               (equal? (bytevector-copy v) (make-bytevector 8 255))))
(newline)
(display (list (s16vector->list (s16vector -1 2 -3)) (u8vector->list (list->u8vector '(1 2)))
               (f64vector-ref (f64vector 1.5 2.5) 1) (s8vector-ref (make-s8vector 3 -7) 2)))
(newline)
