;; delete!, delq!, delete-duplicates! work on the list's own cells as Guile's do (the
;; argument afterwards shows it); SRFI-1's list-copy keeps an improper tail.
(use-modules (srfi srfi-1))
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(let ((l (list 1 #f 2 #f))) (show (delete! #f l) l))
(let ((l (list #f #f 1))) (show (delete! #f l) l))
(let ((l (list 'a 'b 'a 'c))) (show (delq! 'a l) l))
(let ((l (list 1 2 1 3 2))) (show (delete-duplicates! l) l))
(show (delete-duplicates! (list 1 2 3 4 5) (lambda (x y) (> x y))))
(show (list-copy '(1 2 . 3)) (list-copy 1) (list-copy '(1 2 3)))
