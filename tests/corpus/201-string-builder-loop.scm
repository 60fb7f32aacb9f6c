;; Building strings in loops with string ports and string-append.
(define (repeat-string s n)
  (call-with-output-string
    (lambda (port) (do ((i 0 (+ i 1))) ((= i n)) (display s port)))))
(write (repeat-string "ab" 3)) (newline)
(define (number-list n)
  (let loop ((i 1) (acc ""))
    (if (> i n) acc (loop (+ i 1) (string-append acc (if (= i 1) "" ",") (number->string i))))))
(write (number-list 10)) (newline)
(write (string-length (repeat-string "x" 10000))) (newline)
