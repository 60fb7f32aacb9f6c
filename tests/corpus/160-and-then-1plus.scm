;; and=>, 1+, 1-, assoc-ref, unspecified? and boolean helpers.
(write (and=> 5 1+)) (newline)
(write (and=> #f 1+)) (newline)
(write (and=> (assq 'b '((a . 1) (b . 2))) cdr)) (newline)
(write (and=> (memq 'z '(a b)) car)) (newline)
(write (list (1+ 0) (1- 0) (1+ 1.5))) (newline)
(write (assoc-ref '(("a" . 1) ("b" . 2)) "b")) (newline)
(write (list (boolean? #f) (boolean? '()) (not 0) (not #f))) (newline)
(write (unspecified? (if #f #f))) (newline)
