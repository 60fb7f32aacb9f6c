;; Collecting validation errors with guard inside a loop.
(use-modules (srfi srfi-34))
(define (check-vm vm)
  (let ((name (car vm)) (mem (cadr vm)))
    (cond ((not (string? name)) (raise (list 'bad-name name)))
          ((< mem 64) (raise (list 'too-small name mem)))
          (else name))))
(define results
  (map (lambda (vm) (guard (e ((pair? e) (cons 'error e))) (list 'ok (check-vm vm))))
       '(("web" 512) (db 1024) ("tiny" 16))))
(for-each (lambda (r) (write r) (newline)) results)
(write (length (filter (lambda (r) (eq? (car r) 'error)) results))) (newline)
