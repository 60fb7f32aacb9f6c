;; Building a replace-all from string-contains.
(define (replace-all str from to)
  (let loop ((start 0) (acc '()))
    (let ((i (string-contains str from start)))
      (if i
          (loop (+ i (string-length from)) (cons* to (substring str start i) acc))
          (apply string-append (reverse (cons (substring str start) acc)))))))
(write (replace-all "a-b-c" "-" "+")) (newline)
(write (replace-all "/nix/store/nix" "nix" "gnu")) (newline)
(write (replace-all "none" "x" "y")) (newline)
(write (string-take "hello" 2)) (newline)
(write (string-drop "hello" 2)) (newline)
(write (string-take-right "hello" 2)) (newline)
(write (string-drop-right "hello" 2)) (newline)
