;; unread-char and unread-string, %default-port-encoding, compose of one procedure,
;; vector-move-left!/right! over overlapping ranges (element by element, as Guile) and
;; past the end of the destination.
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(let ((p (open-input-string "bc")))
  (unread-char #\a p)
  (show (read-char p) (read-char p)))
(let ((p (open-input-string "c")))
  (unread-string "ab" p)
  (show (read-char p) (read-char p) (read-char p)))
(show (fluid-ref %default-port-encoding) (eq? 1+ (compose 1+)) ((compose 1+ 1+) 1))
(define (moved proc dest-start)
  (let ((a (vector 1 2 3 4 5 6 7 8 9))) (proc a 3 5 a dest-start) a))
(show (moved vector-move-left! 4) (moved vector-move-right! 4)
      (moved vector-move-left! 2) (moved vector-move-right! 2))
(show (catch 'out-of-range
        (lambda () (vector-move-left! (vector 1 2 3) 0 2 (vector 1 2) 1))
        (lambda (k . a) k)))
