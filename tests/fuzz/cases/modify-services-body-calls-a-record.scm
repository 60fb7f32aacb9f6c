;; The new value of a modify-services clause wrapped in an extra pair of parentheses:
;; the record is called.
(use-modules (gnu))
(use-service-modules ssh)

(operating-system
  (host-name "vmhost")
  (services
   (modify-services (list (service openssh-service-type))
     (openssh-service-type
      config => ((openssh-configuration
                  (inherit config)
                  (port-number 2222)))))))
