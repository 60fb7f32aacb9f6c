;; A small service-extension model: records, fold, and alists.
(use-modules (srfi srfi-1) (srfi srfi-9))
(define-record-type <service-type>
  (service-type name extensions compose default)
  service-type?
  (name service-type-name)
  (extensions service-type-extensions)
  (compose service-type-compose)
  (default service-type-default))
(define-record-type <service>
  (service type value)
  service?
  (type service-kind)
  (value service-value))
(define accounts-type (service-type 'accounts '() (lambda (lists) (apply append lists)) '()))
(define ssh-type (service-type 'ssh (list (cons 'accounts (lambda (v) (list "sshd")))) #f 22))
(define qemu-type (service-type 'qemu (list (cons 'accounts (lambda (v) (list "kvm" "qemu")))) #f #t))
(define services (list (service ssh-type 2222) (service qemu-type #t) (service accounts-type '("root"))))
(define (extensions-for target)
  (append-map (lambda (s)
                (filter-map (lambda (ext)
                              (and (eq? (car ext) target) ((cdr ext) (service-value s))))
                            (service-type-extensions (service-kind s))))
              services))
(define target (find (lambda (s) (eq? (service-type-name (service-kind s)) 'accounts)) services))
(write ((service-type-compose (service-kind target))
        (cons (service-value target) (extensions-for 'accounts))))
(newline)
(write (map (lambda (s) (service-type-name (service-kind s))) services)) (newline)
