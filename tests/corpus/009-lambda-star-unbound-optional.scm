;; An #:optional or #:key parameter without a default is #f.
(define* (f #:optional a b) (list a b))
(write (f)) (newline)
(write (f 1)) (newline)
(define* (g #:key a b) (list a b))
(write (g)) (newline)
(write (g #:b 2)) (newline)
(write ((lambda* (#:optional (x 'dflt)) x))) (newline)
(write ((lambda* (#:optional (x 'dflt)) x) 'given)) (newline)
