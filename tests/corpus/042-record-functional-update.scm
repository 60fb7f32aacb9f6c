;; Building updated copies of immutable records by hand.
(use-modules (srfi srfi-9))
(define-record-type <config>
  (make-config host port debug?)
  config?
  (host config-host)
  (port config-port)
  (debug? config-debug?))
(define (config-with-port c p)
  (make-config (config-host c) p (config-debug? c)))
(define base (make-config "localhost" 80 #f))
(define alt (config-with-port base 8080))
(write (list (config-port base) (config-port alt) (config-host alt))) (newline)
(write alt) (newline)
