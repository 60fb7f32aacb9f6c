;; (ice-9 control): % and abort over the default prompt tag, or a given tag.
(use-modules (ice-9 control))
(display (call-with-values (lambda () (% (values) (lambda (k . args) (error "no")))) list))
(display (% (begin (abort 1 2) (error "no")) (lambda (k . args) args)))
(display (% 'foo (lambda (k . a) 'bad)))
(display (let ((t (make-prompt-tag))) (% t (abort-to-prompt t 'x) (lambda (k v) v))))
(newline)
