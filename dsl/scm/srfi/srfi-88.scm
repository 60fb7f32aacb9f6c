;;; (srfi srfi-88): keyword objects, converted to and from strings.
(define-module (srfi srfi-88)
  #:re-export (keyword?)
  #:export (keyword->string string->keyword))

(define (keyword->string k) (symbol->string (keyword->symbol k)))
(define (string->keyword s) (symbol->keyword (string->symbol s)))
