;;; cond and case clauses as Guile checks them, SRFI-61's guarded => included.
(define (show-error expr)
  (catch 'syntax-error
    (lambda () (write (eval expr (interaction-environment))) (newline))
    (lambda (key who message props form . subform)
      (write (list who message form (if (pair? subform) (car subform) 'none)))
      (newline))))

(for-each show-error
  '((cond) (cond #t) (cond 1 2) (cond ()) (cond () 1) (cond (1) 1) (cond (else))
    (cond (else #f) (#t #t)) (cond (#t identity =>)) (cond (#t => 1 2))
    (cond (#t identity => identity identity)) (cond (#f 1) . 2)
    (case) (case 1) (case 1 . "foo") (case 1 "foo") (case 1 ()) (case 1 ("foo"))
    (case 1 ((2) "bar") (else)) (case 1 ((2) "bar") . "foo")
    (case 1 (else #f) ((1) #t)) (case 1 ((1) =>)) (case 1 ((1) => car cdr))
    (let ((else #f)) (case 1 (else #f)))
    (case 1 (() 'none) ((1) 'one) (else 'other))
    (case 6 ((1 2 3) 'low) (else => list))))

;; SRFI-61: (TEST GUARD => RECEIVER) passes all of TEST's values to GUARD, then RECEIVER.
(write (cond ((values 1 2) (lambda (a b) (< a b)) => (lambda (a b) (list b a)))
             (else 'no)))
(newline)
(write (cond ((values 2 3 4) (lambda args (equal? args '(1 2 3))) => (lambda (x y z) 'yes))
             (else 'no)))
(newline)
(write (cond ((values) (lambda () #t) => (lambda () 'zero)) (else #f)))
(newline)
(write (cond (5 number? => (lambda (x) (* x x)))))
(newline)
(write (let ((=> 'bound)) (cond (#t identity =>) (else #f))))
(newline)
(write (let ((=> 'bound)) (cond (else =>))))
(newline)
