;; cute evaluates its non-slot arguments once, when the procedure is made.
(use-modules (srfi srfi-26))
(define count 0)
(define (next!) (set! count (+ count 1)) count)
(define f (cut list (next!) <>))
(define g (cute list (next!) <>))
(write (list (f 'a) (f 'b))) (newline)
(write (list (g 'a) (g 'b))) (newline)
(write count) (newline)
