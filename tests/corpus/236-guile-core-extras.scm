;; Core bindings Guile programs use without importing anything: while with break and
;; continue, fluids, *unspecified*, n-ary equivalence predicates, #u8 bytevectors.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))

(show (while #f 1))
(show (let ((i 0)) (while #t (set! i (+ i 1)) (if (> i 3) (break i)))))
(show (let ((i 0) (seen '()))
        (while (< i 5)
          (set! i (+ i 1))
          (if (odd? i) (continue))
          (set! seen (cons i seen)))
        seen))

(define f (make-fluid 1))
(show (fluid? f) (fluid-ref f))
(show (with-fluids ((f 2)) (fluid-ref f)) (fluid-ref f))
(fluid-set! f 3)
(show (fluid-ref f) (with-fluid* f 4 (lambda () (fluid-ref f))))
(show (fluid? (make-parameter 1)))
(show (eq? *unspecified* (if #f #f)))

(show (eq?) (eq? 'a) (eq? 'a 'a 'a) (eq? 'a 'a 'b))
(show (eqv? 1 1 1) (eqv? 1 1 2) (equal? "a" "a" "a") (equal? '(1) '(1) '(2)))
(use-modules (rnrs bytevectors))
(show (bytevector-u8-ref #u8(1 2 255) 2) (bytevector-length #u8(1 2)) (bytevector? #u8()))
