;; A custom ellipsis identifier as the first argument of syntax-rules.
(define-syntax my-list
  (syntax-rules ::: ()
    ((_ x :::) (list x :::))))
(write (my-list 1 2 3)) (newline)
(define-syntax make-macro
  (syntax-rules ()
    ((_ name)
     (define-syntax name
       (syntax-rules ::: ()
         ((_ x :::) '(name x :::)))))))
(make-macro tag)
(write (tag a b)) (newline)
