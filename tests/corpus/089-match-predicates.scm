;; match with ? predicates and bindings.
(use-modules (ice-9 match))
(define (classify x)
  (match x
    ((? number? n) (list 'number n))
    ((? string? s) (list 'string (string-length s)))
    ((? symbol?) 'symbol)
    (((? symbol? tag) args ...) (list 'call tag (length args)))
    (_ 'unknown)))
(write (map classify (list 12 "abc" 'x '(f 1 2) '(1 2) #\c))) (newline)
(write (match 10 ((? (lambda (n) (> n 5)) big) (list 'big big)) (_ 'small))) (newline)
(write (match '(1 2) ((? pair? (a b)) (+ a b)))) (newline)
