;; match list patterns of fixed length, dotted tails, and _.
(use-modules (ice-9 match))
(define (shape x)
  (match x
    ((a) (list 'one a))
    ((a b) (list 'two a b))
    ((a _ c) (list 'three-ends a c))
    ((a . rest) (list 'many a rest))
    (_ 'not-a-list)))
(write (map shape '((1) (1 2) (1 2 3) (1 2 3 4) 5))) (newline)
(write (match '(1 (2 3) 4) ((x (y z) w) (+ x y z w)))) (newline)
(write (match '(a . b) ((x . y) (list y x)))) (newline)
