;; The errors bytevector procedures and the #vu8 syntax raise, by key and message, and
;; self-evaluating? on each kind of datum.
(use-modules (rnrs bytevectors))

(define (try thunk)
  (catch #t thunk
    (lambda (key . args)
      (list key (if (and (pair? args) (string? (cadr args))) (cadr args) '?)))))
(define (show label x) (display label) (display ": ") (write x) (newline))

(show "uint-list divides" (try (lambda () (bytevector->uint-list (make-bytevector 6) (endianness little) 4))))
(show "sint-list divides" (try (lambda () (bytevector->sint-list (make-bytevector 5) (endianness big) 2))))
(show "uint-list zero" (try (lambda () (bytevector->uint-list (make-bytevector 6) (endianness little) 0))))
(show "uint-list ok" (bytevector->uint-list #vu8(1 0 2 0) (endianness little) 2))
(show "utf8 invalid" (try (lambda () (utf8->string #vu8(104 105 239 191 50)))))
(show "utf8 ok" (utf8->string #vu8(104 105 226 130 172)))
(show "read -1" (try (lambda () (with-input-from-string "#vu8(-1 -2 -3)" read))))
(show "read 256" (try (lambda () (with-input-from-string "#vu8(0 256)" read))))
(show "read ok" (with-input-from-string "#vu8(0 255)" read))
(show "self-evaluating?"
      (map self-evaluating?
           (list 'a '(1) "s" #(1) (make-bytevector 1) car 1 #\a #t '() #:k
                 (current-output-port) 1.5)))
