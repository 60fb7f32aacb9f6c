;; Constructors may take a subset of fields, in any order; others start unset.
(use-modules (srfi srfi-9))
(define-record-type <node>
  (make-node value)
  node?
  (value node-value)
  (next node-next set-node-next!))
(define a (make-node 1))
(define b (make-node 2))
(set-node-next! a b)
(set-node-next! b '())
(write (node-value (node-next a))) (newline)
(write (node-next b)) (newline)
(define-record-type <pair2>
  (kons b a)
  pair2?
  (a pair2-a)
  (b pair2-b))
(define k (kons 'bee 'ay))
(write (list (pair2-a k) (pair2-b k))) (newline)
