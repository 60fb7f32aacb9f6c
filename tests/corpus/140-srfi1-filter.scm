;; filter, remove, partition, filter-map.
(use-modules (srfi srfi-1))
(write (filter odd? '(1 2 3 4 5))) (newline)
(write (remove odd? '(1 2 3 4 5))) (newline)
(call-with-values (lambda () (partition symbol? '(a 1 b 2 c)))
  (lambda (syms others) (write syms) (write others) (newline)))
(write (filter-map (lambda (x) (and (even? x) (* x x))) '(1 2 3 4))) (newline)
(write (filter-map (lambda (a b) (and (< a b) (list a b))) '(1 5 3) '(2 4 6))) (newline)
(write (filter (lambda (x) #f) '(1 2))) (newline)
