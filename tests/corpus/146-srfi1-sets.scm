;; lset operations keep a documented order.
(use-modules (srfi srfi-1))
(write (lset-union eq? '(a b c) '(c d a e))) (newline)
(write (lset-intersection eq? '(a b c d) '(d c x))) (newline)
(write (lset-difference eqv? '(1 2 3 4) '(2 4))) (newline)
(write (lset-adjoin eq? '(a b) 'c 'a 'd)) (newline)
(write (lset= eq? '(a b) '(b a a))) (newline)
(write (lset<= eq? '(a) '(a b))) (newline)
