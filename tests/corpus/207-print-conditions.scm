;; How exception objects print with write.
(use-modules (srfi srfi-34) (srfi srfi-35) (ice-9 exceptions))
(write (guard (e (#t e)) (raise (condition (&message (message "bad config")))))) (newline)
(write (make-exception-with-message "m")) (newline)
(write (make-exception (make-error) (make-exception-with-irritants '(1 2)))) (newline)
(write (guard (e (#t e)) (error "boom" 1))) (newline)
(display (guard (e (#t e)) (error "boom" "str"))) (newline)
