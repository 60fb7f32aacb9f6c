;; Cyclic structures as hash-table keys and to `hash`: found again by the same object,
;; hashed in bounded time (a vector holding itself, a list whose tail is itself).
(define (show . xs) (for-each write xs) (newline))
(define v (make-vector 3))
(vector-fill! v v)
(define l (list 1 2 3))
(set-cdr! (cddr l) l)
(define t (make-hash-table))
(hash-set! t v 'vector)
(hash-set! t l 'list)
(show (hash-ref t v) (hash-ref t l) (hash-ref t (list 1 2 3)) (hash-ref t (vector 1 2 3)))
(show (hash v 1) (hash l 1) (= (hash l 1000) (hash l 1000)))
(hash-remove! t l)
(show (hash-ref t l) (hash-count (const #t) t))
