;; Recursive macros.
(define-syntax my-and
  (syntax-rules ()
    ((_) #t)
    ((_ e) e)
    ((_ e r ...) (if e (my-and r ...) #f))))
(write (list (my-and) (my-and 1) (my-and 1 2 3) (my-and 1 #f 3))) (newline)
(define-syntax count-args
  (syntax-rules ()
    ((_) 0)
    ((_ x rest ...) (+ 1 (count-args rest ...)))))
(write (count-args a b c d e)) (newline)
(define-syntax rev
  (syntax-rules ()
    ((_ () acc) 'acc)
    ((_ (x y ...) (a ...)) (rev (y ...) (x a ...)))))
(write (rev (1 2 3 4) ())) (newline)
