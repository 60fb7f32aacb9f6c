;; (ice-9 match): a named match-let loop, a variable repeated across ellipsis patterns
;; (the lists must be equal), and port conversion strategies set and read back.
(use-modules (ice-9 match))
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))

(show (match-let loop (((x . rest) '(1 2 3)) (sum 0))
        (let ((sum (+ x sum)))
          (if (null? rest) sum (loop rest sum)))))
(show (match '((1 2 3) (1 2 3)) (((x ...) (x ...)) x) (_ #f))
      (match '((1 2 3) (1 2 3 4)) (((x ...) (x ...)) x) (_ #f))
      (match '((a 1) (b 2)) (((k v) ...) (list k v))))
(set-port-conversion-strategy! (current-output-port) 'escape)
(show (port-conversion-strategy (current-output-port)) (port-conversion-strategy #f))
(use-modules (srfi srfi-88))
(show (keyword->string #:abc) (string->keyword "d") (keyword? #:e))
