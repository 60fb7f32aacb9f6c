;;; (ice-9 streams): lazy lists.  A stream is a promise of either '() (the end) or a
;;; pair of the first element and the stream of the rest.
(define-module (ice-9 streams)
  #:export (make-stream stream-car stream-cdr stream-null? list->stream vector->stream
            port->stream stream->list stream->list&length stream->reversed-list
            stream->reversed-list&length stream->vector stream-fold stream-for-each
            stream-map))

;; (make-stream PROC STATE): (PROC STATE) gives '() to end, or (VALUE . NEXT-STATE).
(define (make-stream proc state)
  (delay (let ((next (proc state)))
           (if (pair? next)
               (cons (car next) (make-stream proc (cdr next)))
               '()))))

(define (stream-car stream) (car (force stream)))
(define (stream-cdr stream) (cdr (force stream)))
(define (stream-null? stream) (null? (force stream)))

(define (list->stream lst)
  (make-stream (lambda (l) (if (pair? l) (cons (car l) (cdr l)) '())) lst))

(define (vector->stream v)
  (make-stream (lambda (i) (if (< i (vector-length v)) (cons (vector-ref v i) (+ i 1)) '()))
               0))

(define (port->stream port read)
  (make-stream (lambda (p) (let ((x (read p))) (if (eof-object? x) '() (cons x p)))) port))

(define (stream->reversed-list&length stream)
  (let loop ((s stream) (acc '()) (n 0))
    (if (stream-null? s)
        (values acc n)
        (loop (stream-cdr s) (cons (stream-car s) acc) (+ n 1)))))

(define (stream->reversed-list stream)
  (call-with-values (lambda () (stream->reversed-list&length stream))
    (lambda (lst n) lst)))

(define (stream->list&length stream)
  (call-with-values (lambda () (stream->reversed-list&length stream))
    (lambda (lst n) (values (reverse! lst) n))))

(define (stream->list stream)
  (call-with-values (lambda () (stream->list&length stream))
    (lambda (lst n) lst)))

(define (stream->vector stream) (list->vector (stream->list stream)))

(define (any-null? streams) (and (pair? streams) (or (stream-null? (car streams))
                                                      (any-null? (cdr streams)))))

;; (stream-fold PROC INIT STREAM ...): (PROC ELT ... RESULT) along the streams.
(define (stream-fold proc init . streams)
  (let loop ((ss streams) (acc init))
    (if (any-null? ss)
        acc
        (loop (map stream-cdr ss) (apply proc (append (map stream-car ss) (list acc)))))))

(define (stream-for-each proc . streams)
  (let loop ((ss streams))
    (unless (any-null? ss)
      (apply proc (map stream-car ss))
      (loop (map stream-cdr ss)))))

(define (stream-map proc . streams)
  (make-stream (lambda (ss)
                 (if (any-null? ss)
                     '()
                     (cons (apply proc (map stream-car ss)) (map stream-cdr ss))))
               streams))
