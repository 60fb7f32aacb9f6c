;;; (ice-9 copy-tree): copy the pairs and vectors of a tree, sharing its leaves.
(define-module (ice-9 copy-tree)
  #:use-module ((srfi srfi-1) #:select (append-reverse!))
  #:export (copy-tree))

;; The spine of a list is copied by a loop (a long list needs no deep recursion); a
;; second pointer moving at half speed meets the first on a circular spine, as in Guile.
(define (copy-tree tree)
  (cond ((pair? tree)
         (let loop ((x tree) (slow tree) (step #f) (acc '()))
           (cond ((pair? x)
                  (if (and step (eq? x slow))
                      (scm-error 'wrong-type-arg "copy-tree"
                                 "Expected non-circular list: ~S" (list tree) (list tree)))
                  (loop (cdr x) (if step (cdr slow) slow) (not step)
                        (cons (copy-tree (car x)) acc)))
                 (else (append-reverse! acc (copy-tree x))))))
        ((vector? tree) (list->vector (map copy-tree (vector->list tree))))
        (else tree)))
