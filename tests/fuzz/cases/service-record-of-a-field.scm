;; A childhurd given the Hurd system itself instead of a hurd-vm-configuration
;; holding it.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "vmhost")
  (services (list (service hurd-vm-service-type %hurd-vm-operating-system))))
