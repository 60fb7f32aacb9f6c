;; Hygiene: free identifiers in a template refer to the macro's definition site.
(define helper (lambda (x) (list 'helper x)))
(define-syntax call-helper
  (syntax-rules () ((_ v) (helper v))))
(let ((helper (lambda (x) 'shadowed)))
  (write (call-helper 1)) (newline))
(define-syntax my-first
  (syntax-rules () ((_ l) (car l))))
(let ((car cdr))
  (write (my-first '(a b c))) (newline))
(define-syntax while
  (syntax-rules ()
    ((_ c body ...) (let loop () (when c body ... (loop))))))
(define i 0)
(define loop 'user-loop)
(while (< i 3) (display i) (set! i (+ i 1)))
(newline)
(write loop) (newline)
