;; match and/or/not patterns.
(use-modules (ice-9 match))
(define (f x)
  (match x
    ((and (a b) whole) (list 'pair-list whole a b))
    ((or 'red 'green 'blue) 'color)
    ((or (? number? n) (n)) (list 'num-ish n))
    ((not (? string?)) 'not-string)
    (_ 'string)))
(write (map f (list '(1 2) 'green 5 '(6) 'other "s"))) (newline)
(write (match '(1 1) ((a a) 'same) (_ 'different))) (newline)
(write (match '(1 2) ((a a) 'same) (_ 'different))) (newline)
