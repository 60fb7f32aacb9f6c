;;; (srfi srfi-88): keyword objects, converted to and from strings.  As in Guile, using
;;; the module makes the reader read `foo:` as a keyword from then on.
(define-module (srfi srfi-88)
  #:re-export (keyword?)
  #:export (keyword->string string->keyword))

(read-set! keywords 'postfix)

(define (keyword->string k) (symbol->string (keyword->symbol k)))
(define (string->keyword s) (symbol->keyword (string->symbol s)))
