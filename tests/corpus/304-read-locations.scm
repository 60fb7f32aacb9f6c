;;; What read returns carries where it was in the port's text, under the port's name.
(define (located text)
  (call-with-input-string text
    (lambda (port)
      (set-port-filename! port "example.scm")
      (list (port-filename port) (read port)))))

(define parts (located "\n  (let foo bar)"))
(write parts)
(newline)
(write (catch 'syntax-error
         (lambda () (eval (cadr parts) (interaction-environment)))
         (lambda (key who message props form . rest) (list who message props form))))
(newline)
(write (call-with-input-string "x" port-filename))
(newline)
(define port (open-input-string "(a)\n\n   (b\n c)"))
(write (list (read port) (read port) (read port)))
(newline)
