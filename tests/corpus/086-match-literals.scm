;; match on literals and variables.
(use-modules (ice-9 match))
(define (describe x)
  (match x
    (0 'zero)
    (#t 'true)
    ("hello" 'greeting)
    (#\a 'char-a)
    ('sym 'the-symbol)
    (() 'empty)
    (n (list 'other n))))
(write (map describe (list 0 #t "hello" #\a 'sym '() 42 'foo))) (newline)
