;;; (ice-9 vlist): immutable lists with Guile's vlist interface, and vhashes (vlists of
;;; key/value pairs searched by key).  A vlist here holds an ordinary list, newest item
;;; first: `vlist-ref' and `vhash-assoc' walk it (Guile's block layout makes them
;;; near-constant time; the results are the same).  A vhash is a vlist whose items are
;;; pairs made by vhash-cons; the HASH arguments are accepted and not needed.
(define-module (ice-9 vlist)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-9)
  #:use-module (srfi srfi-9 gnu)
  #:export (vlist? vlist-cons vlist-head vlist-tail vlist-null? vlist-null list->vlist
            vlist-ref vlist-drop vlist-take vlist-length vlist-fold vlist-fold-right
            vlist-map vlist-unfold vlist-unfold-right vlist-append vlist-reverse
            vlist-filter vlist-delete vlist->list vlist-for-each block-growth-factor
            vhash? vhash-cons vhash-consq vhash-consv vhash-assoc vhash-assq vhash-assv
            vhash-delete vhash-delq vhash-delv vhash-fold vhash-fold-right vhash-fold*
            vhash-foldq* vhash-foldv* alist->vhash))

(define-record-type <vlist>
  (make-vlist items hashed?)
  vlist?
  (items vlist-items)
  (hashed? vlist-hashed?))

(set-record-type-printer! <vlist>
  (lambda (vl port)
    (display "#<vlist " port)
    (write (vlist-items vl) port)
    (display ">" port)))

;; Guile's vlists grow their blocks by this factor; kept for programs that read it.
(define block-growth-factor (make-parameter 2))

(define vlist-null (make-vlist '() #f))

(define (vlist-null? vl) (null? (vlist-items vl)))

(define (vlist-cons item vl) (make-vlist (cons item (vlist-items vl)) (vlist-hashed? vl)))

(define (vlist-head vl) (car (vlist-items vl)))

(define (vlist-tail vl) (make-vlist (cdr (vlist-items vl)) (vlist-hashed? vl)))

(define (list->vlist lst) (make-vlist (list-copy lst) #f))

(define (vlist->list vl) (list-copy (vlist-items vl)))

(define (vlist-ref vl index) (list-ref (vlist-items vl) index))

(define (vlist-drop vl count) (make-vlist (drop (vlist-items vl) count) (vlist-hashed? vl)))

(define (vlist-take vl count) (make-vlist (take (vlist-items vl) count) (vlist-hashed? vl)))

(define (vlist-length vl) (length (vlist-items vl)))

(define (vlist-fold proc init vl) (fold proc init (vlist-items vl)))

(define (vlist-fold-right proc init vl) (fold-right proc init (vlist-items vl)))

(define (vlist-map proc vl) (make-vlist (map proc (vlist-items vl)) #f))

(define (vlist-for-each proc vl) (for-each proc (vlist-items vl)))

(define (vlist-reverse vl) (make-vlist (reverse (vlist-items vl)) (vlist-hashed? vl)))

(define (vlist-filter pred vl) (make-vlist (filter pred (vlist-items vl)) (vlist-hashed? vl)))

(define* (vlist-delete x vl #:optional (same? equal?))
  (make-vlist (remove (lambda (item) (same? x item)) (vlist-items vl)) (vlist-hashed? vl)))

(define (vlist-append . vlists)
  (make-vlist (append-map vlist-items vlists) #f))

(define vlist-unfold
  (case-lambda
    ((p f g seed) (make-vlist (unfold p f g seed) #f))
    ((p f g seed tail-gen) (make-vlist (unfold p f g seed (lambda (s) (vlist-items (tail-gen s)))) #f))))

(define vlist-unfold-right
  (case-lambda
    ((p f g seed) (make-vlist (unfold-right p f g seed) #f))
    ((p f g seed tail) (make-vlist (unfold-right p f g seed (vlist-items tail)) #f))))

;;; vhashes

(define (vhash? obj) (and (vlist? obj) (vlist-hashed? obj)))

(define* (vhash-cons key value vh #:optional hash)
  (make-vlist (cons (cons key value) (vlist-items vh)) #t))

(define (vhash-consq key value vh) (vhash-cons key value vh hashq))
(define (vhash-consv key value vh) (vhash-cons key value vh hashv))

(define* (vhash-assoc key vh #:optional (same? equal?) hash)
  (find (lambda (entry) (same? key (car entry))) (vlist-items vh)))

(define (vhash-assq key vh) (vhash-assoc key vh eq?))
(define (vhash-assv key vh) (vhash-assoc key vh eqv?))

(define* (vhash-delete key vh #:optional (same? equal?) hash)
  (make-vlist (remove (lambda (entry) (same? key (car entry))) (vlist-items vh)) #t))

(define (vhash-delq key vh) (vhash-delete key vh eq?))
(define (vhash-delv key vh) (vhash-delete key vh eqv?))

;; (vhash-fold PROC INIT VHASH): (PROC KEY VALUE RESULT) for each entry, newest first.
(define (vhash-fold proc init vh)
  (fold (lambda (entry result) (proc (car entry) (cdr entry) result)) init (vlist-items vh)))

(define (vhash-fold-right proc init vh)
  (fold-right (lambda (entry result) (proc (car entry) (cdr entry) result))
              init (vlist-items vh)))

;; (vhash-fold* PROC INIT KEY VHASH): (PROC VALUE RESULT) for each value of KEY.
(define* (vhash-fold* proc init key vh #:optional (same? equal?) hash)
  (fold (lambda (entry result)
          (if (same? key (car entry)) (proc (cdr entry) result) result))
        init (vlist-items vh)))

(define (vhash-foldq* proc init key vh) (vhash-fold* proc init key vh eq?))
(define (vhash-foldv* proc init key vh) (vhash-fold* proc init key vh eqv?))

(define* (alist->vhash alist #:optional hash)
  (make-vlist (map (lambda (p) (cons (car p) (cdr p))) alist) #t))
