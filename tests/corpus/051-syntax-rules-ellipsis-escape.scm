;; (... ...) produces a literal ellipsis in the output of a macro-defining macro.
(define-syntax def-lister
  (syntax-rules ()
    ((_ name)
     (define-syntax name
       (syntax-rules ()
         ((_ args (... ...)) (list 'name args (... ...))))))))
(def-lister tagged)
(write (tagged 1 2 3)) (newline)
(write (tagged)) (newline)
(define-syntax quote-ellipsis
  (syntax-rules () ((_) '(... ...))))
(write (quote-ellipsis)) (newline)
