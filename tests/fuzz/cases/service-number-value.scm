;; A port number given as the service's value.
(use-modules (gnu))
(use-service-modules ganeti)

(operating-system
  (host-name "vmhost")
  (services (list (service ganeti-noded-service-type 1811))))
