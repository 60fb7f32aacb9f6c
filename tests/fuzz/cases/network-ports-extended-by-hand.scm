;; network-ports extended with a port number: it takes the claims services make.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'mine network-ports-service-type (list 8080)))))
