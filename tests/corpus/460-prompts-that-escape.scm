;; A prompt whose handler never uses its continuation unwinds as an escape: the same
;; answers, dynamic-wind order, fluids and errors as a resumable one, nested either way.
(define (show . xs) (for-each display xs) (newline))
;; escape-only: handler ignores k
(show (call-with-prompt 'a (lambda () (+ 1 (abort-to-prompt 'a 10 20))) (lambda (k x y) (+ x y))))
;; dynamic-wind after runs before the handler
(show (call-with-prompt 'a
  (lambda () (dynamic-wind (lambda () (show "in")) (lambda () (abort-to-prompt 'a 1)) (lambda () (show "out"))))
  (lambda (k v) (show "handler " v) v)))
;; nested: inner fiber prompt (uses k) inside outer escape prompt; abort to outer from inner body
(show (call-with-prompt 'outer
  (lambda ()
    (call-with-prompt 'inner
      (lambda () (dynamic-wind (lambda () #f) (lambda () (abort-to-prompt 'outer 'went-out)) (lambda () (show "inner unwound"))))
      (lambda (k v) (k v))))
  (lambda (k v) (list 'outer v))))
;; escape prompt inside fiber prompt; abort to fiber prompt from within escape body, then resume
(define kk #f)
(show (call-with-prompt 'f
  (lambda ()
    (call-with-prompt 'e
      (lambda () (+ 100 (abort-to-prompt 'f 1)))
      (lambda (k v) 'escaped)))
  (lambda (k v) (set! kk k) v)))
(show (kk 5))
;; fluids restored after escape
(define fl (make-fluid 'top))
(show (call-with-prompt 'a (lambda () (with-fluids ((fl 'inside)) (abort-to-prompt 'a (fluid-ref fl)))) (lambda (k v) (list v (fluid-ref fl)))))
;; unknown prompt after escape prompt returned
(define later (call-with-prompt 'z (lambda () (lambda () (abort-to-prompt 'z 1))) (lambda (k v) v)))
(show (catch #t later (lambda (key . args) key)))
;; barrier
(show (catch #t (lambda () (call-with-prompt 'b (lambda () (with-continuation-barrier (lambda () (abort-to-prompt 'b 1)))) (lambda (k v) v))) (lambda (key . args) key)))
(use-modules (ice-9 control))
(show (let/ec k (+ 1 (k 41))))
(show (% (+ 1 (abort 2)) (lambda (k v) (* v 10))))
(show (call-with-prompt 'c (lambda () (list (suspendable-continuation? 'c) (with-continuation-barrier (lambda () (suspendable-continuation? 'c))))) (lambda (k) k)))
(show (call-with-prompt 'c (lambda () (list (suspendable-continuation? 'c) (with-continuation-barrier (lambda () (suspendable-continuation? 'c))))) (lambda (k) 1)))
