;; A list of static-networking records with a stray value in it.
(use-modules (gnu))
(use-service-modules networking)

(operating-system
  (host-name "vmhost")
  (services (list (service static-networking-service-type
                           (list %loopback-static-networking 1/3)))))
