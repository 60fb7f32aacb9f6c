;; Generating a configuration file with format.
(use-modules (ice-9 format))
(define vms '(("web" 2048 2) ("db" 4096 4)))
(for-each (lambda (vm)
            (format #t "[vm ~a]~%memory = ~dM~%cpus = ~d~%~%" (car vm) (cadr vm) (caddr vm)))
          vms)
(format #t "total memory: ~d~%" (apply + (map cadr vms)))
