;; throw can be caught by guard, and raise by catch.
(use-modules (srfi srfi-34))
(write (catch 'my-key
         (lambda () (throw 'my-key 'a 'b))
         (lambda (k . rest) rest)))
(newline)
(write (catch #t
         (lambda () (raise 'raised-symbol))
         (lambda (key . args) (list key args))))
(newline)
(write (guard (e (#t 'guard-caught-throw))
         (throw 'some-key 1)))
(newline)
(write (guard (e ((string? e) e))
         (catch 'other (lambda () (raise "passes through")) (lambda _ 'wrong))))
(newline)
