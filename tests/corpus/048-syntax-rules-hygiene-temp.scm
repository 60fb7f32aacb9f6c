;; Hygiene: a temporary introduced by a macro does not capture user variables.
(define-syntax my-or2
  (syntax-rules ()
    ((_ a b) (let ((t a)) (if t t b)))))
(define t 5)
(write (my-or2 #f t)) (newline)
(define-syntax swap!
  (syntax-rules ()
    ((_ a b) (let ((tmp a)) (set! a b) (set! b tmp)))))
(define tmp 1)
(define other 2)
(swap! tmp other)
(write (list tmp other)) (newline)
(let ((if list))
  (write (my-or2 #f 'ok)) (newline))
