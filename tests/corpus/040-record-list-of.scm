;; Records in lists: filtering, sorting and mapping over accessors.
(use-modules (srfi srfi-9) (srfi srfi-1))
(define-record-type <service>
  (service name port enabled?)
  service?
  (name service-name)
  (port service-port)
  (enabled? service-enabled?))
(define services
  (list (service 'ssh 22 #t) (service 'http 80 #f) (service 'dns 53 #t)))
(write (map service-name (filter service-enabled? services))) (newline)
(write (map service-port (sort services (lambda (a b) (< (service-port a) (service-port b)))))) (newline)
(write (fold + 0 (map service-port services))) (newline)
(write (service-name (find (lambda (s) (= (service-port s) 53)) services))) (newline)
(write (every service? services)) (newline)
