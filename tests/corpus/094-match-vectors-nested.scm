;; match vector patterns and deep nesting.
(use-modules (ice-9 match))
(write (match #(1 2 3) (#(a b c) (+ a b c)))) (newline)
(write (match #(1 (2 3)) (#(a (b c)) (list c b a)))) (newline)
(define config '(operating-system (host-name "box") (services (ssh (port 22)) (nginx (port 80)))))
(match config
  (('operating-system ('host-name host) ('services (names ('port ports)) ...))
   (write (list host names ports)) (newline)))
(write (match '(1 (2 (3 (4)))) ((a (b (c (d)))) (list d c b a)))) (newline)
