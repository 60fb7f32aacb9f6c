;; The record to inherit from was deleted, leaving (inherit).
(use-modules (gnu))
(use-service-modules ssh)

(operating-system
  (host-name "vmhost")
  (services
   (modify-services (list (service openssh-service-type))
     (openssh-service-type
      config => (openssh-configuration
                 (inherit)
                 (port-number 2222))))))
