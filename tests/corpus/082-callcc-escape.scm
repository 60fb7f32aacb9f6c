;; call/cc used for early exit.
(define (find-first pred lst)
  (call-with-current-continuation
    (lambda (return)
      (for-each (lambda (x) (when (pred x) (return x))) lst)
      #f)))
(write (find-first even? '(1 3 4 5 6))) (newline)
(write (find-first even? '(1 3 5))) (newline)
(define (product lst)
  (call/cc
    (lambda (break)
      (let loop ((l lst))
        (cond ((null? l) 1)
              ((= (car l) 0) (break 0))
              (else (* (car l) (loop (cdr l)))))))))
(write (product '(1 2 3 4))) (newline)
(write (product '(1 2 0 4))) (newline)
(write (+ 1 (call/cc (lambda (k) (+ 10 (k 1)))))) (newline)
(write (call/cc (lambda (k) 'normal-return))) (newline)
