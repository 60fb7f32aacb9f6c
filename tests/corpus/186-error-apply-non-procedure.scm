;; Applying a non-procedure.
(define config '((port . 22)))
(write (cdr (assq 'port config))) (newline)
(write (config 'port)) (newline)
