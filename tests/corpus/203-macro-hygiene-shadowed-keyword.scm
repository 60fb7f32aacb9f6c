;; Macros keep working when user code binds names their expansion uses.
(define-syntax my-inc
  (syntax-rules () ((_ x) (+ x 1))))
(let ((+ *))
  (write (my-inc 10)) (newline))
(define-syntax safe-div
  (syntax-rules ()
    ((_ a b) (let ((d b)) (if (= d 0) 'div-by-zero (/ a d))))))
(let ((d 5) (= eq?))
  (write (list (safe-div 10 d) (safe-div 1 0))) (newline))
(define (list . args) 'user-list)
(define-syntax mk (syntax-rules () ((_ a) (cons a '()))))
(write (mk 1)) (newline)
