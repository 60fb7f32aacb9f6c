;; The same daemon declared twice with its default configuration: both bind port 1811.
(use-modules (gnu))
(use-service-modules ganeti)

(operating-system
  (host-name "vmhost")
  (services (list (service ganeti-noded-service-type)
                  (service ganeti-confd-service-type)
                  (service ganeti-noded-service-type))))
