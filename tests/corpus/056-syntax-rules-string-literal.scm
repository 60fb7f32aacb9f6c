;; Non-symbol data in patterns matches by equal?.
(define-syntax kind
  (syntax-rules ()
    ((_ 1) 'one)
    ((_ "s") 'string-s)
    ((_ #t) 'true)
    ((_ x) 'other)))
(write (list (kind 1) (kind "s") (kind #t) (kind 2))) (newline)
(define-syntax ignore-first
  (syntax-rules ()
    ((_ _ b) b)))
(write (ignore-first (error "not evaluated") 'second)) (newline)
