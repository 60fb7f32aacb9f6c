;; One host entry where hosts-service-type takes a list of them.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (service hosts-service-type
                           (host "192.168.1.10" "build-box")))))
