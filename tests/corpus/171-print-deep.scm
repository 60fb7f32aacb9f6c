;; Printing a large nested structure.
(define (tree n) (if (= n 0) 'leaf (list (tree (- n 1)) n (tree (- n 1)))))
(write (tree 3)) (newline)
(define alist (map (lambda (i) (cons (string->symbol (string #\k (integer->char (+ 97 i)))) i)) (iota 5)))
(write alist) (newline)
(display (list "nested" (list "strings" (vector "in" (list "vectors"))))) (newline)
