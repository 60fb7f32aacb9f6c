;;; (srfi srfi-6): string ports, which Guile has in its core.
(define-module (srfi srfi-6)
  #:re-export (open-input-string open-output-string get-output-string))
