;; Continuations accept multiple values.
(call-with-values
  (lambda () (call/cc (lambda (k) (k 1 2))))
  (lambda (a b) (write (list a b)) (newline)))
(define (search tree target)
  (call/cc
    (lambda (found)
      (let walk ((t tree) (path '()))
        (cond ((equal? t target) (found (reverse path)))
              ((pair? t)
               (walk (car t) (cons 'car path))
               (walk (cdr t) (cons 'cdr path)))))
      'absent)))
(write (search '((a b) (c (d))) 'd)) (newline)
(write (search '(x y) 'z)) (newline)
