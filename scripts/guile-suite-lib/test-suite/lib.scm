;;; (test-suite lib) for running Guile's test-suite/tests under `vsys run`.
;;;
;;; Written from the library's documented interface: every test reports one line
;;; "TAG: prefix: ...: name" on stdout, TAG being PASS, FAIL, UPASS, XFAIL, UNRESOLVED or
;;; ERROR, as Guile's own library does with its default reporter, so that
;;; scripts/guile-suite can pair the two runs test by test.  vsys has one evaluator, so
;;; the "(compile -O0)" and "(compile -O2)" variants of c&e evaluate like "(eval)".

(define-module (test-suite lib)
  #:use-module (ice-9 regex)
  #:export (exception:syntax-pattern-unmatched exception:bad-variable
            exception:missing-expression exception:out-of-range exception:unbound-var
            exception:used-before-defined exception:wrong-num-args
            exception:wrong-type-arg exception:numerical-overflow
            exception:struct-set!-denied exception:system-error exception:encoding-error
            exception:miscellaneous-error exception:string-contains-nul
            exception:read-error exception:null-pointer-error
            run-test pass-if expect-fail pass-if-equal pass-if-exception
            expect-fail-exception with-test-prefix with-test-prefix*
            with-test-prefix/c&e current-test-prefix format-test-name
            with-debugging-evaluator with-debugging-evaluator*
            clear-stale-stack-references with-locale with-locale*
            with-latin1-locale with-latin1-locale* %null-device
            register-reporter unregister-reporter reporter-registered?
            make-count-reporter print-counts make-log-reporter full-reporter
            user-reporter))

;; Each expected exception is a pair: the key `catch` sees, and a regular expression
;; the error message must match.
(define exception:syntax-pattern-unmatched
  '(syntax-error . "source expression failed to match any pattern"))
(define exception:bad-variable '(syntax-error . "Bad variable"))
(define exception:missing-expression '(misc-error . "^missing or extra expression"))
(define exception:out-of-range '(out-of-range . "^.*out of range"))
(define exception:unbound-var '(unbound-variable . "^Unbound variable"))
(define exception:used-before-defined
  '(unbound-variable . "^Variable used before given a value"))
(define exception:wrong-num-args '(wrong-number-of-args . "^Wrong number of arguments"))
(define exception:wrong-type-arg '(wrong-type-arg . "^Wrong type"))
(define exception:numerical-overflow '(numerical-overflow . "^Numerical overflow"))
(define exception:struct-set!-denied '(misc-error . "^set! denied for field"))
(define exception:system-error '(system-error . ".*"))
(define exception:encoding-error
  '(encoding-error . "(cannot convert.* to output locale|input (locale conversion|decoding) error|conversion to port encoding failed)"))
(define exception:miscellaneous-error '(misc-error . "^.*"))
(define exception:read-error '(read-error . "^.*$"))
(define exception:null-pointer-error '(null-pointer-error . "^.*$"))
(define exception:string-contains-nul
  '(misc-error . "^string contains #\\\\nul character"))

(define %null-device "/dev/null")

;;; Names

(define test-prefix (make-parameter '()))

(define (current-test-prefix) (test-prefix))

(define (format-test-name name)
  (call-with-output-string
   (lambda (port)
     (let loop ((parts name) (sep ""))
       (when (pair? parts)
         (display sep port)
         (display (car parts) port)
         (loop (cdr parts) ": "))))))

(define (with-test-prefix* prefix thunk)
  (parameterize ((test-prefix (append (test-prefix) (list prefix))))
    (thunk)))

(define-syntax with-test-prefix
  (syntax-rules ()
    ((_ prefix body ...) (with-test-prefix* prefix (lambda () body ...)))))

;;; Reporting

(define tags
  '((pass . "PASS") (fail . "FAIL") (upass . "UPASS") (xfail . "XFAIL")
    (unresolved . "UNRESOLVED") (untested . "UNTESTED")
    (unsupported . "UNSUPPORTED") (error . "ERROR")))

(define (print-result port result name . args)
  (display (cdr (assq result tags)) port)
  (display ": " port)
  (display (format-test-name name) port)
  (when (pair? args)
    (display " - arguments: " port)
    (write args port))
  (newline port))

(define (full-reporter . args) (apply print-result (current-output-port) args))

(define (user-reporter result name . args)
  (when (memq result '(fail upass unresolved error))
    (apply full-reporter result name args)))

(define reporters '())

(define (register-reporter r) (set! reporters (cons r reporters)))
(define (unregister-reporter r) (set! reporters (delete r reporters eq?)))
(define (reporter-registered? r) (and (memq r reporters) #t))

(define (make-count-reporter)
  (let ((counts (map (lambda (t) (cons (car t) 0)) tags)))
    (list (lambda (result name . args)
            (let ((cell (assq result counts)))
              (set-cdr! cell (+ 1 (cdr cell)))))
          (lambda () (map (lambda (c) (cons (car c) (cdr c))) counts)))))

(define (print-counts results . port)
  (let ((port (if (pair? port) (car port) (current-output-port))))
    (for-each (lambda (c) (display (car c) port) (display ": " port)
                      (display (cdr c) port) (newline port))
              results)))

(define (make-log-reporter file)
  (let ((port (if (output-port? file) file (open-output-file file))))
    (lambda args (apply print-result port args) (force-output port))))

(define (report . args)
  (if (pair? reporters)
      (for-each (lambda (r) (apply r args)) reporters)
      (apply full-reporter args)))

;;; Running tests

(define running? #f)

(define (run-test name expect-pass thunk)
  (when running? (error "Nested calls to run-test are not permitted."))
  (let ((full (append (test-prefix) (list name))))
    (set! running? #t)
    (catch #t
      (lambda ()
        (let ((result (thunk)))
          (cond ((eq? result #t) (throw 'pass))
                ((eq? result #f) (throw 'fail))
                (else (throw 'unresolved)))))
      (lambda (key . args)
        (case key
          ((pass) (report (if expect-pass 'pass 'upass) full))
          ((fail) (apply report (if expect-pass 'fail 'xfail) full args))
          ((unresolved untested unsupported) (report key full))
          (else (report 'error full (cons key args))))))
    (set! running? #f)))

(define-syntax pass-if
  (syntax-rules ()
    ((_ name) (run-test 'name #t (lambda () name)))
    ((_ name body ...) (run-test name #t (lambda () body ...)))))

(define-syntax expect-fail
  (syntax-rules ()
    ((_ name) (run-test 'name #f (lambda () name)))
    ((_ name body ...) (run-test name #f (lambda () body ...)))))

(define-syntax pass-if-equal
  (syntax-rules ()
    ((_ expected body) (pass-if-equal 'body expected body))
    ((_ name expected body ...)
     (run-test name #t
               (lambda ()
                 (let ((result (begin body ...)))
                   (or (equal? expected result)
                       (throw 'fail 'expected-value expected
                              'actual-value result))))))))

;; The message matches the pattern as it is or, for misc-error and syntax-error, once
;; formatted with its arguments; any other exception goes on to run-test as an error.
(define (message-matches? key pattern message rest)
  (or (and (string? message) (string-match pattern message) #t)
      (and (memq key '(misc-error syntax-error))
           (string? message) (pair? rest) (list? (car rest))
           (string-match pattern (apply simple-format #f message (car rest)))
           #t)))

(define (run-test-exception name exception expect-pass thunk)
  (let ((expected-key (car exception)) (pattern (cdr exception)))
    (run-test name expect-pass
              (lambda ()
                (catch expected-key
                  (lambda () (thunk) #f)
                  (lambda (key . args)
                    (if (and (pair? args) (pair? (cdr args))
                             (message-matches? key pattern (cadr args) (cddr args)))
                        #t
                        (apply throw key args))))))))

(define-syntax pass-if-exception
  (syntax-rules ()
    ((_ name exception body rest ...)
     (run-test-exception name exception #t (lambda () body rest ...)))))

(define-syntax expect-fail-exception
  (syntax-rules ()
    ((_ name exception body rest ...)
     (run-test-exception name exception #f (lambda () body rest ...)))))

(define-syntax c&e
  (syntax-rules (pass-if pass-if-equal pass-if-exception)
    ((_ (pass-if exp)) (c&e (pass-if "[unnamed test]" exp)))
    ((_ (pass-if name exp))
     (begin (pass-if (string-append name " (eval)") (primitive-eval 'exp))
            (pass-if (string-append name " (compile -O0)") (primitive-eval 'exp))
            (pass-if (string-append name " (compile -O2)") (primitive-eval 'exp))))
    ((_ (pass-if-equal name val exp))
     (begin (pass-if-equal (string-append name " (eval)") val (primitive-eval 'exp))
            (pass-if-equal (string-append name " (compile -O0)") val (primitive-eval 'exp))
            (pass-if-equal (string-append name " (compile -O2)") val (primitive-eval 'exp))))
    ((_ (pass-if-exception name exc exp))
     (begin (pass-if-exception (string-append name " (eval)") exc (primitive-eval 'exp))
            (pass-if-exception (string-append name " (compile -O0)") exc
              (primitive-eval 'exp))
            (pass-if-exception (string-append name " (compile -O2)") exc
              (primitive-eval 'exp))))))

(define-syntax with-test-prefix/c&e
  (syntax-rules ()
    ((_ name exp ...) (with-test-prefix name (c&e exp) ...))))

;;; Guile-specific environments, which vsys has no separate form of

(define (with-debugging-evaluator* thunk) (thunk))
(define-syntax with-debugging-evaluator
  (syntax-rules () ((_ body ...) (begin body ...))))
(define* (clear-stale-stack-references #:optional (n 10)) (if #f #f))

;; vsys has no locales: tests that need one are unresolved, as in a Guile without them.
(define (with-locale* locale thunk) (throw 'unresolved))
(define-syntax with-locale
  (syntax-rules () ((_ loc body ...) (with-locale* loc (lambda () body ...)))))
(define (with-latin1-locale* thunk) (throw 'unresolved))
(define-syntax with-latin1-locale
  (syntax-rules () ((_ body ...) (with-latin1-locale* (lambda () body ...)))))
