;; Basic syntax-rules macros.
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define x 1)
(define y 2)
(swap! x y)
(write (list x y)) (newline)
(define-syntax my-unless
  (syntax-rules ()
    ((_ c body ...) (if c #f (begin body ...)))))
(write (my-unless #f 'a 'b)) (newline)
(write (my-unless #t 'a)) (newline)
(define-syntax ten (syntax-rules () ((_) 10)))
(write (+ (ten) 1)) (newline)
