;; Escaping from nested procedure calls and loops with call/cc.
(define (validate items)
  (call/cc
    (lambda (fail)
      (map (lambda (x)
             (if (number? x) (* x 2) (fail (list 'invalid x))))
           items))))
(write (validate '(1 2 3))) (newline)
(write (validate '(1 two 3))) (newline)
(define count 0)
(write (list 'result (call/cc (lambda (k) (set! count (+ count 1)) 'first)))) (newline)
(write count) (newline)
