;; dynamic-wind passes multiple values through.
(call-with-values
  (lambda () (dynamic-wind (lambda () #f) (lambda () (values 1 2 3)) (lambda () #f)))
  (lambda args (write args) (newline)))
(define depth 0)
(define (with-depth thunk)
  (dynamic-wind (lambda () (set! depth (+ depth 1)))
                thunk
                (lambda () (set! depth (- depth 1)))))
(write (with-depth (lambda () (with-depth (lambda () depth))))) (newline)
(write depth) (newline)
