;; Deep non-tail recursion: Guile's stack grows, and 100,000 levels are fine.
(define (deep n) (if (= n 0) 0 (+ 1 (deep (- n 1)))))
(display (deep 100000)) (newline)
(define (build n) (if (= n 0) '() (cons n (build (- n 1)))))
(display (length (build 100000))) (newline)
(define (sum l) (if (null? l) 0 (let ((rest (sum (cdr l)))) (+ (car l) rest))))
(display (sum (build 100000))) (newline)
(define (my-map f l) (if (null? l) '() (cons (f (car l)) (my-map f (cdr l)))))
(display (apply + (my-map (lambda (x) (* x 2)) (build 100000)))) (newline)
