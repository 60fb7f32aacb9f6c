;; Handlers that run where an exception is raised, before the stack unwinds:
;; with-throw-handler, catch's pre-unwind handler, with-exception-handler without
;; #:unwind?, and how each passes the exception on.
(define trail '())
(define (note x) (set! trail (cons x trail)))
(define (show title) (write (cons title (reverse trail))) (newline) (set! trail '()))

;; a throw handler runs first, then the catch
(catch 'a
  (lambda ()
    (note 1)
    (with-throw-handler 'a
      (lambda () (note 2) (throw 'a 'x))
      (lambda (key . args) (note (list 'throw-handler key args)))))
  (lambda (key . args) (note (list 'catch key args))))
(show 'throw-then-catch)

;; the pre-unwind handler sees the fluids of the throw, the handler those of the catch
(define fl (make-fluid 'outer))
(note (catch 'e
        (lambda () (with-fluids ((fl 'inner)) (throw 'e 'arg)))
        (lambda (key . args) (list 'handler (fluid-ref fl) args))
        (lambda (key . args) (note (list 'pre-unwind (fluid-ref fl))))))
(show 'pre-unwind-fluids)

;; dynamic-wind's after thunk runs after the pre-unwind handler, before the handler
(catch 'e
  (lambda ()
    (dynamic-wind (lambda () (note 'in))
                  (lambda () (throw 'e))
                  (lambda () (note 'out))))
  (lambda (key . args) (note 'handler))
  (lambda (key . args) (note 'pre-unwind)))
(show 'pre-unwind-before-unwinding)

;; nested throw handlers of one key run innermost first, each once
(catch 'a
  (lambda ()
    (with-throw-handler 'a
      (lambda ()
        (with-throw-handler 'a
          (lambda () (throw 'a))
          (lambda (key . args) (note 'inner))))
      (lambda (key . args) (note 'outer))))
  (lambda (key . args) (note 'catch)))
(show 'chained)

;; a throw handler throwing another key reaches a catch inside its own extent
(catch 'a
  (lambda ()
    (with-throw-handler 'b
      (lambda ()
        (catch 'a
          (lambda () (throw 'b))
          (lambda (key . args) (note 'inner-catch-a))))
      (lambda (key . args) (note 'b-handler) (throw 'a)))
    (note 'after))
  (lambda (key . args) (note 'outer-catch-a)))
(show 'handler-throws-inward)

;; a throw handler is not re-entered while it runs
(catch #t
  (lambda ()
    (with-throw-handler 'a
      (lambda () (throw 'a))
      (lambda (key . args) (note 'handler-a) (throw 'a 'again))))
  (lambda (key . args) (note (cons 'caught args))))
(show 'not-reentered)

;; a non-unwinding handler is offered a throw before an inner catch of another key unwinds
(note (with-exception-handler
        (lambda (e) (note (list 'handler (exception-kind e))) 42)
        (lambda () (catch 'other (lambda () (+ 1 (raise-exception 'oops #:continuable? #t)))
                     (lambda args 'other)))))
(show 'continuable)

;; errors signalled by primitives reach throw handlers and pre-unwind handlers too
(catch 'wrong-type-arg
  (lambda ()
    (with-throw-handler #t
      (lambda () (car 5))
      (lambda (key . args) (note (list 'throw-handler key)))))
  (lambda (key . args) (note (list 'catch key)))
  (lambda (key . args) (note (list 'pre-unwind key))))
(show 'primitive-error)

;; with-exception-handler's #:unwind-for-type selects what it takes
(note (with-exception-handler
        (lambda (e) (list 'outer (exception-kind e)))
        (lambda ()
          (with-exception-handler
            (lambda (e) 'inner)
            (lambda () (throw 'mine 1))
            #:unwind? #t #:unwind-for-type 'theirs))
        #:unwind? #t))
(show 'unwind-for-type)

;; catch refuses a key that is neither a symbol nor #t
(note (catch #t (lambda () (catch 5 (lambda () 1) (lambda args 2)))
        (lambda (key . args) key)))
(show 'bad-key)
