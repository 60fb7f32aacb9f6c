;; A named-let loop of 1,000,000 iterations runs in constant stack.
(define (count-up n)
  (let loop ((i 0) (acc 0))
    (if (= i n) acc (loop (+ i 1) (+ acc 1)))))
(display (count-up 1000000)) (newline)
