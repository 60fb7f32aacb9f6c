;;; (ice-9 threads), single-threaded: vsys runs one thread of Scheme.  A new thread runs
;;; its thunk to the end when it is made (so join-thread finds it finished), with fluid
;;; values of its own (its creator's to start with); mutexes count their locks, a wait
;;; on a condition variable (which no other thread could ever signal) is an error, and the par- procedures map in order.  (provided? 'threads) is
;;; false, as in a Guile built without threads.
(define-module (ice-9 threads)
  #:use-module (srfi srfi-9)
  #:export (call-with-new-thread make-thread join-thread thread? thread-exited?
            current-thread all-threads yield cancel-thread
            make-mutex make-recursive-mutex mutex? lock-mutex try-mutex unlock-mutex
            mutex-locked? mutex-owner mutex-level
            make-condition-variable condition-variable? wait-condition-variable
            signal-condition-variable broadcast-condition-variable
            par-map par-for-each n-par-map n-par-for-each n-for-each-par-map
            current-processor-count total-processor-count)
  #:export-syntax (begin-thread with-mutex monitor parallel letpar))

(define-record-type <thread>
  (make-thread-record result exited?)
  thread?
  (result thread-result set-thread-result!)
  (exited? thread-exited? set-thread-exited!))

(define main-thread (make-thread-record #f #f))

(define (current-thread) main-thread)
(define (all-threads) (list main-thread))
(define (yield) #t)

(define* (call-with-new-thread thunk #:optional handler)
  ;; the thread starts with the fluid values of its creator, and its own sets stay its own
  (let ((thread (make-thread-record #f #f))
        (body (if handler (lambda () (catch #t thunk handler)) thunk)))
    (set-thread-result! thread
                        (with-dynamic-state (current-dynamic-state) body))
    (set-thread-exited! thread #t)
    thread))

(define (make-thread proc . args)
  (call-with-new-thread (lambda () (apply proc args))))

(define-syntax-rule (begin-thread e ...)
  (call-with-new-thread (lambda () e ...)))

(define* (join-thread thread #:optional timeout timeout-value)
  (thread-result thread))

;; A thread has finished by the time anyone can name it: there is nothing to cancel.
(define (cancel-thread thread) #f)

(define-record-type <mutex>
  (make-mutex-record recursive? owner level)
  mutex?
  (recursive? mutex-recursive?)
  (owner mutex-owner set-mutex-owner!)
  (level mutex-level set-mutex-level!))

(define (make-mutex . flags)
  (make-mutex-record (and (memq 'recursive flags) #t) #f 0))

(define (make-recursive-mutex) (make-mutex 'recursive))

(define (mutex-locked? m) (> (mutex-level m) 0))

(define* (lock-mutex m #:optional timeout owner)
  (when (and (mutex-locked? m) (not (mutex-recursive? m)))
    (error "lock-mutex: mutex already locked by this thread (the only one)" m))
  (set-mutex-owner! m main-thread)
  (set-mutex-level! m (+ 1 (mutex-level m)))
  #t)

(define (try-mutex m)
  (and (or (not (mutex-locked? m)) (mutex-recursive? m))
       (lock-mutex m)))

(define* (unlock-mutex m #:optional cv timeout)
  (unless (mutex-locked? m)
    (error "unlock-mutex: mutex not locked" m))
  (set-mutex-level! m (- (mutex-level m) 1))
  (when (zero? (mutex-level m)) (set-mutex-owner! m #f))
  #t)

(define-syntax-rule (with-mutex m e ...)
  (let ((mutex m))
    (dynamic-wind (lambda () (lock-mutex mutex))
                  (lambda () e ...)
                  (lambda () (unlock-mutex mutex)))))

(define-syntax-rule (monitor e ...) (begin e ...))

(define-record-type <condition-variable>
  (make-condition-variable)
  condition-variable?)

(define* (wait-condition-variable cv m #:optional timeout)
  (if timeout
      #f
      (error "wait-condition-variable: no other thread could signal it" cv)))

(define (signal-condition-variable cv) #t)
(define (broadcast-condition-variable cv) #t)

(define par-map map)
(define par-for-each for-each)
(define (n-par-map n proc . lists) (apply map proc lists))
(define (n-par-for-each n proc . lists) (apply for-each proc lists))
(define (n-for-each-par-map n s-proc p-proc . lists)
  (apply for-each (lambda args (s-proc (apply p-proc args))) lists))

(define-syntax-rule (parallel e ...) (values e ...))
(define-syntax-rule (letpar ((v e) ...) body ...) (let ((v e) ...) body ...))

;; Scheme code here runs on one processor at a time.
(define (current-processor-count) 1)
(define (total-processor-count) 1)
