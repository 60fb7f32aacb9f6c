;; Prompts: call-with-prompt and abort-to-prompt, nested tags, unwinding through
;; dynamic-wind, and an abort to a tag not in force.
(define tag (make-prompt-tag))
(display (call-with-prompt tag (lambda () (+ 1 (abort-to-prompt tag 41 1))) (lambda (k a b) (+ a b))))
(newline)
(display (call-with-prompt tag (lambda () 'normal) (lambda (k) 'aborted)))
(newline)
(define t2 (make-prompt-tag))
(display (call-with-prompt tag
  (lambda () (call-with-prompt t2 (lambda () (abort-to-prompt tag 'outer)) (lambda (k x) (list 'inner x))))
  (lambda (k x) (list 'outer x))))
(newline)
(display (catch #t (lambda () (abort-to-prompt (make-prompt-tag) 1)) (lambda (key . args) key)))
(newline)
(display (let ((r '())) (call-with-prompt tag (lambda () (dynamic-wind (lambda () (set! r (cons 'in r))) (lambda () (abort-to-prompt tag)) (lambda () (set! r (cons 'out r))))) (lambda (k) (reverse r)))))
(newline)
