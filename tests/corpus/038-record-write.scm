;; How records print with write and display.
(use-modules (srfi srfi-9))
(define-record-type <vm>
  (make-vm name memory tags)
  vm?
  (name vm-name)
  (memory vm-memory)
  (tags vm-tags))
(define v (make-vm "web" 1024 '(a "b" #\c)))
(write v) (newline)
(display v) (newline)
(write (list v)) (newline)
(define-record-type thing (make-thing) thing?)
(write (make-thing)) (newline)
