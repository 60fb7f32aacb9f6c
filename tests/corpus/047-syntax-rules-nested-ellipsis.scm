;; Nested ellipses.
(define-syntax my-let*
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((n v) rest ...) body ...) (let ((n v)) (my-let* (rest ...) body ...)))))
(write (my-let* ((a 1) (b (+ a 1)) (c (* b 3))) (list a b c))) (newline)
(define-syntax table
  (syntax-rules ()
    ((_ (key val ...) ...) '((key . (val ...)) ...))))
(write (table (a 1 2) (b) (c 3))) (newline)
(define-syntax flatten-args
  (syntax-rules ()
    ((_ (x ...) ...) (list x ... ...))))
(write (flatten-args (1 2) () (3 4 5))) (newline)
(define-syntax my-cond
  (syntax-rules (else)
    ((_ (else e ...)) (begin e ...))
    ((_ (c e ...) clause ...) (if c (begin e ...) (my-cond clause ...)))))
(write (my-cond (#f 1) ((= 1 1) 2) (else 3))) (newline)
