;;; letrec evaluates every init before any variable has its value; letrec* in order.
(define (show-error thunk)
  (catch #t
    (lambda () (write (thunk)) (newline))
    (lambda (key . args) (write (list key (cadr args))) (newline))))

(show-error (lambda () (eval '(let ((x 1)) (letrec ((x 1) (y x)) y)) (interaction-environment))))
(show-error (lambda () (eval '(letrec* ((x y) (y 1)) y) (interaction-environment))))
(show-error (lambda () (letrec* ((a 1) (b (+ a 1))) (list a b))))
(show-error (lambda () (letrec ((even? (lambda (n) (if (= n 0) #t (odd? (- n 1)))))
                                (odd? (lambda (n) (if (= n 0) #f (even? (- n 1))))))
                         (list (even? 10) (odd? 7)))))

;; (unquote-splicing A B) splices both lists; (unquote A B) inserts both values.
(write `(0 (unquote-splicing (list 1 2) (list 3 4)) 5))
(newline)
(write `(a (unquote (+ 1 1) (+ 2 2)) b))
(newline)
(write `((unquote-splicing '(x) '() '(y z))))
(newline)

;; while: (break) without values gives #t, (break V ...) gives V ..., and (continue 1)
;; is a syntax error.
(write (while #t (break)))
(newline)
(write (call-with-values (lambda () (while #t (break 1 2 3))) list))
(newline)
(write (while #f 'never))
(newline)
(write (catch 'syntax-error
         (lambda () (eval '(while #t (continue 1)) (interaction-environment)))
         (lambda (key who message . rest) (list key who message))))
(newline)

;; define-values with the wrong number of values is wrong-number-of-args.
(define (error-key thunk) (catch #t thunk (lambda (key . args) key)))
(write (error-key (lambda () (eval '(define-values (x y) (values 1)) (interaction-environment)))))
(newline)
(write (error-key (lambda () (eval '(let () (define-values (x) (values 1 2)) x)
                                   (interaction-environment)))))
(newline)
