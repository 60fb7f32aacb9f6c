;; when and unless run their bodies conditionally.
(when (> 2 1) (display "one ") (display "two") (newline))
(unless (> 2 1) (display "never") (newline))
(unless #f (display "unless ran") (newline))
(write (when #t 'a 'b 'last)) (newline)
(define xs '())
(for-each (lambda (n) (when (odd? n) (set! xs (cons n xs)))) '(1 2 3 4 5))
(write xs) (newline)
