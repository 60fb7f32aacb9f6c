;; match-lambda, match-lambda* and match-let.
(use-modules (ice-9 match))
(define area
  (match-lambda
    (('circle r) (* 3 r r))
    (('rect w h) (* w h))
    (_ 0)))
(write (map area '((circle 2) (rect 3 4) (blob)))) (newline)
(define f (match-lambda* ((a) (list 'one a)) ((a b) (list 'two a b)) (args (list 'n (length args)))))
(write (list (f 1) (f 1 2) (f 1 2 3))) (newline)
(match-let (((a b) '(1 2)) ((c . d) '(3 4 5)))
  (write (list a b c d)) (newline))
(match-let* (((a b) '(1 2)) ((c) (list (+ a b))))
  (write c) (newline))
