;;; (ice-9 copy-tree): copy the pairs and vectors of a tree, sharing its leaves.
(define-module (ice-9 copy-tree)
  #:export (copy-tree))

(define (copy-tree tree)
  (cond ((pair? tree) (cons (copy-tree (car tree)) (copy-tree (cdr tree))))
        ((vector? tree) (list->vector (map copy-tree (vector->list tree))))
        (else tree)))
