;; A prompt's continuation resumes the body where it aborted, once, even after the
;; prompt returned: values, dynamic-wind, fluids, parameters, handlers and inner
;; prompts come back with it.
(use-modules (ice-9 control) (srfi srfi-11))
(define (show . xs) (write xs) (newline))

;; resumed after the prompt returned, with no value, one, several
(let ((k (% (begin (abort) 'foo) (lambda (k) k))))
  (show 'side-effect (k)))
(let ((k (% (+ (abort) 3) (lambda (k) k))))
  (show 'one-value (k 39)))
(let ((k (% (let-values (((a b . c) (abort))) (list a b c)) (lambda (k) k))))
  (show 'several (k 1 2 3 4)))

;; the handler gets the abort's arguments; resuming inside the handler
(show 'in-handler
      (call-with-prompt 'p
        (lambda () (* 2 (abort-to-prompt 'p 5 6)))
        (lambda (k a b) (list a b (k (+ a b))))))

;; dynamic-wind: after on the abort, before again on the resume
(define trail '())
(define (note x) (set! trail (cons x trail)))
(let ((k (% (dynamic-wind (lambda () (note 'before))
                          (lambda () (note (list 'got (abort))) 'done)
                          (lambda () (note 'after)))
            (lambda (k) (note 'handler) k))))
  (note (list 'resumed (k 'v)))
  (show 'winds (reverse trail)))

;; fluids and parameters bound in the body are bound again when it resumes
(define fl (make-fluid 0))
(define pa (make-parameter 'outer))
(let ((k (% (with-fluids ((fl (1+ (fluid-ref fl))))
              (parameterize ((pa 'inner))
                (abort)
                (list (fluid-ref fl) (pa))))
            (lambda (k) k))))
  (show 'bindings (fluid-ref fl) (pa) (k) (fluid-ref fl) (pa)))
(show 'resumed-elsewhere
      (let ((k (% (with-fluids ((fl 'body)) (abort) (fluid-ref fl)) (lambda (k) k))))
        (with-fluids ((fl 'caller)) (list (k) (fluid-ref fl)))))

;; an inner prompt is part of the continuation of an abort to an outer one
(show 'nested
      (let ((k (% 'a
                  (% 'b
                     (begin (abort-to-prompt 'a) (abort-to-prompt 'b 'inner-handled))
                     (lambda (k x) x))
                  (lambda (k) k))))
        (k)))

;; catch frames inside the continuation still catch; others reach the caller's
(define (catch* key thunk)
  (let ((tag (make-prompt-tag)))
    (call-with-prompt tag
      (lambda () (catch key (lambda () (abort-to-prompt tag) (thunk)) (lambda args args)))
      (lambda (k) k))))
(let* ((t1 (catch* 'foo (lambda () (throw 'foo 1))))
       (t2 (catch* 'bar (lambda () (t1)))))
  (show 'inner-catch (t1)))
(let* ((t1 (catch* 'foo (lambda () (throw 'bar 2))))
       (t2 (catch* 'bar (lambda () (t1)))))
  (show 'outer-catch (t2)))

;; shift and reset, each continuation called once
(show 'shift (* 10 (reset (* 2 (shift g (* 5 (shift f (+ (f 1) 1))))))))
(show 'traverse
      (let ()
        (define (visit xs)
          (if (null? xs) '()
              (visit (shift* (lambda (k) (cons (car xs) (k (cdr xs))))))))
        (reset* (lambda () (visit '(1 2 3 4 5))))))
(show 'default-handler (% (+ 1 (abort (lambda (k) (k 41))))))

;; continuation barriers
(define tag (make-prompt-tag))
(show 'suspendable
      (call-with-prompt tag (lambda () (suspendable-continuation? tag)) (lambda (k) k))
      (call-with-prompt tag
        (lambda () (with-continuation-barrier (lambda () (suspendable-continuation? tag))))
        (lambda (k) k)))
(show 'barrier
      (call/cc (lambda (k)
                 (with-continuation-barrier
                  (lambda () (catch 'misc-error (lambda () (k 1) 'crossed)
                               (lambda _ 'refused)))))))

;; a continuation dropped unresumed does not run its after thunks again
(set! trail '())
(let loop ((i 0))
  (when (< i 3)
    (% (dynamic-wind (lambda () (note 'in)) (lambda () (abort)) (lambda () (note 'out)))
       (lambda (k) (note 'dropped)))
    (loop (1+ i))))
(show 'dropped (reverse trail))

;; an abort to a tag with no prompt
(show 'unknown (catch 'misc-error (lambda () (abort-to-prompt 'nowhere)) (lambda (key . _) key)))
