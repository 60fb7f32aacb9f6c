;; Closures capture a fresh binding per iteration of do and named let.
(define procs '())
(do ((i 0 (+ i 1))) ((= i 3))
  (set! procs (cons (lambda () i) procs)))
(write (map (lambda (p) (p)) procs)) (newline)
(define procs2
  (let loop ((i 0) (acc '()))
    (if (= i 3) (reverse acc) (loop (+ i 1) (cons (lambda () (* i 10)) acc)))))
(write (map (lambda (p) (p)) procs2)) (newline)
(define shared 0)
(define getters (map (lambda (n) (lambda () (+ n shared))) '(1 2)))
(set! shared 100)
(write (map (lambda (g) (g)) getters)) (newline)
