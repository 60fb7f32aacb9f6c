;; if: only #f is false.
(define (truthy x) (if x 'yes 'no))
(write (map truthy (list #t #f 0 '() "" 'a (vector)))) (newline)
(display (if (> 3 2) "bigger" "smaller")) (newline)
(display (if #f 'never)) (newline)
(write (if (if #f #f #t) 1 2)) (newline)
