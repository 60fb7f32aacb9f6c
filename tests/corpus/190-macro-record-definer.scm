;; A macro that expands into define-record-type, as configuration libraries do.
(use-modules (srfi srfi-9))
(define-syntax define-simple-record
  (syntax-rules ()
    ((_ type ctor pred (field accessor) ...)
     (define-record-type type (ctor field ...) pred (field accessor) ...))))
(define-simple-record <disk> make-disk disk? (path disk-path) (size disk-size))
(define d (make-disk "/var/vm.img" 10))
(write (list (disk? d) (disk-path d) (disk-size d))) (newline)
(write d) (newline)
