;;; A custom ellipsis is that identifier only (SRFI-46); syntax-error reports in Guile's
;;; words; a top-level name a macro introduces is its own.
(define-syntax foo
  (syntax-rules ()
    ((_ y ...)
     (syntax-rules ::: ()
       ((_ x :::)
        '((((x y) ...) :::)
          (((x y) :::) ...)))))))
(define-syntax bar (foo x y :::))
(write (bar a b c))
(newline)

(write (let-syntax
           ((f (syntax-rules ()
                 ((f ?e)
                  (let-syntax
                      ((g (syntax-rules --- ()
                            ((g (??x ?e) (??y ---))
                             '((??x) ?e (??y) ---)))))
                    (g (1 2) (3 4)))))))
         (f ---)))
(newline)

(define-syntax simple-let
  (syntax-rules ()
    ((_ (head ... ((x . y) val) . tail) body1 body2 ...)
     (syntax-error "expected an identifier but got" (x . y)))
    ((_ ((name val) ...) body1 body2 ...)
     ((lambda (name ...) body1 body2 ...) val ...))))

(define (syntax-error-parts expr)
  (catch 'syntax-error
    (lambda () (eval expr (interaction-environment)))
    (lambda (key who message props form . rest) (list who message form))))

(write (syntax-error-parts '(simple-let ((y 1) ((z1 z2) 2)) y)))
(newline)
(write (syntax-error-parts '(syntax-error "test error" x (y z))))
(newline)
(write (syntax-error-parts '(syntax-error "just this")))
(newline)
(write (simple-let ((a 1) (b 2)) (+ a b)))
(newline)

;; Each use of define-constant has its own `t`; the user's `t` is untouched.
(define t 'mine)
(define-syntax-rule (define-constant name val)
  (begin
    (define t val)
    (define (name) t)))
(define-constant ten 10)
(define-constant twenty 20)
(write (list (ten) (twenty) t))
(newline)

;; A procedure an expansion defines may call one the same expansion defines after it.
(define-syntax define-square
  (syntax-rules ()
    ((_ f) (begin (define (f x) (helper x))
                  (define (helper x) (* x x))))))
(define-square square-it)
(write (square-it 10))
(newline)
