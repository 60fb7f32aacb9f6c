;; Guile catch/throw: keys, handler arguments.
(write (catch 'my-key
         (lambda () (throw 'my-key 1 2))
         (lambda (key . args) (list 'caught key args))))
(newline)
(write (catch #t
         (lambda () (throw 'anything "msg"))
         (lambda args args)))
(newline)
(write (catch 'a
         (lambda () 'no-throw)
         (lambda args 'handler)))
(newline)
(write (catch 'outer
         (lambda ()
           (catch 'inner
             (lambda () (throw 'outer 'through))
             (lambda args (list 'inner-handler args))))
         (lambda (k v) (list 'outer-handler k v))))
(newline)
(write (catch 'k (lambda () (+ 1 (throw 'k))) (lambda (k) (list k 'no-args))))
(newline)
