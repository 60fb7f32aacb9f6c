;; Char-set algebra over all of Unicode: sizes of complements, unions and differences of
;; the standard sets, membership after a complement, and unfold of many elements.
(use-modules (srfi srfi-1))
(define (show . xs) (for-each (lambda (x) (write x) (display " ")) xs) (newline))
(show (char-set-size (char-set-complement (char-set #\a)))
      (char-set-size (char-set-union char-set:letter char-set:digit))
      (char-set-size (char-set-difference char-set:full char-set:symbol))
      (char-set-size (char-set-intersection char-set:ascii char-set:digit)))
(show (char-set-contains? (char-set-complement (char-set #\a)) #\a)
      (char-set-contains? (char-set-complement (char-set #\a)) #\b)
      (char-set->list (char-set-intersection char-set:hex-digit char-set:letter)))
(show (length (unfold (lambda (x) (>= x 100000)) (lambda (x) x) (lambda (x) (+ x 1)) 0))
      (unfold-right zero? (lambda (x) (* x x)) (lambda (x) (- x 1)) 5))
