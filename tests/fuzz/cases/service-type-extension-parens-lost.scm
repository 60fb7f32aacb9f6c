;; The parentheses of a (service-extension ...) lost inside a service type's extensions.
(use-modules (gnu))
(use-service-modules shepherd)

(define mine-service-type
  (service-type
   (name 'mine)
   (extensions
    (list service-extension shepherd-root-service-type
          (lambda (config) '())))
   (default-value #f)))

(operating-system
  (host-name "vmhost")
  (services (list (service mine-service-type))))
