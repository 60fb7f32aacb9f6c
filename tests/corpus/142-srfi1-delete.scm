;; delete and delete-duplicates.
(use-modules (srfi srfi-1))
(write (delete 3 '(1 3 2 3 4))) (newline)
(write (delete "a" '("a" "b" "a"))) (newline)
(write (delete 3 '(1 2 3 4 5) <)) (newline)
(write (delete-duplicates '(1 2 1 3 2 4))) (newline)
(write (delete-duplicates '("a" "b" "a"))) (newline)
(write (delete-duplicates '((a . 1) (b . 2) (a . 3)) (lambda (x y) (eq? (car x) (car y))))) (newline)
(write (delete-duplicates '())) (newline)
