;; case with lists of datums, else, and =>.
(define (kind x)
  (case x
    ((1 2 3) 'small)
    ((a e i o u) 'vowel)
    ((#\x) 'char-x)
    ((()) 'empty)
    (else 'other)))
(write (map kind (list 2 'e #\x '() "s" 99))) (newline)
(write (case (* 2 3) ((2 3 5 7) 'prime) ((1 4 6 8 9) 'composite))) (newline)
(write (case 5 ((5) => (lambda (n) (* n 10))) (else 'no))) (newline)
(write (case 'z ((a) 1) (else => (lambda (s) (list s s))))) (newline)
(write (case 'q ((a) 1) ((b) 2))) (newline)
