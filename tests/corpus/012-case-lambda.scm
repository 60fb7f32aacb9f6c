;; case-lambda dispatches on the number of arguments.
(define area
  (case-lambda
    ((r) (* 3 r r))
    ((w h) (* w h))
    ((a b c) (list 'triangle a b c))
    ((a b c . more) (list 'many (length more)))))
(display (area 2)) (newline)
(display (area 3 4)) (newline)
(write (area 1 2 3)) (newline)
(write (area 1 2 3 4 5)) (newline)
(define opt
  (case-lambda
    (() (opt 10))
    ((n) (* n 2))))
(display (opt)) (newline)
(display (opt 4)) (newline)
