;; match quasi-patterns.
(use-modules (ice-9 match))
(define (eval-expr e)
  (match e
    ((? number? n) n)
    (`(+ ,a ,b) (+ (eval-expr a) (eval-expr b)))
    (`(* ,a ,b) (* (eval-expr a) (eval-expr b)))
    (`(neg ,a) (- (eval-expr a)))))
(write (eval-expr '(+ 1 (* 2 (neg 3))))) (newline)
(write (match '(service ssh (port 22)) (`(service ,name (port ,p)) (list name p)))) (newline)
(write (match '(a b c d) (`(a . ,rest) rest))) (newline)
(write (match '(x . y) (`(,h . ,t) (list t h)))) (newline)
