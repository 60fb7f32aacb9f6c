;; Fluid values belong to a dynamic extent: with-dynamic-state's bindings are left by an
;; abort and come back with its continuation; a new thread starts with its creator's
;; values and keeps its own sets.
(use-modules (ice-9 threads))
(define (show . xs) (write xs) (newline))

(define fl (make-fluid 'initial))
(define state (current-dynamic-state))
(define tag (make-prompt-tag "state"))

(fluid-set! fl 'changed)
(show 'outside (fluid-ref fl)
      'inside (with-dynamic-state state (lambda () (fluid-ref fl))))

(let ((k (call-with-prompt tag
           (lambda ()
             (with-dynamic-state state
               (lambda ()
                 (fluid-set! fl 'set-inside)
                 (abort-to-prompt tag)
                 (fluid-ref fl))))
           (lambda (k) k))))
  (show 'after-abort (fluid-ref fl))
  (fluid-set! fl 'set-outside)
  (show 'resumed (k) 'and-back (fluid-ref fl)))

(show 'state-unchanged (with-dynamic-state state (lambda () (fluid-ref fl))))

(let* ((f (make-fluid))
       (_ (fluid-set! f 'parent))
       (child (call-with-new-thread
               (lambda ()
                 (let ((init (fluid-ref f)))
                   (fluid-set! f 'child)
                   (list init (fluid-ref f)))))))
  (show 'thread (join-thread child) 'parent-keeps (fluid-ref f)))
