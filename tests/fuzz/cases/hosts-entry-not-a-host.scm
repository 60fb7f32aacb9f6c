;; The parentheses of one (host ...) entry lost: its parts became elements of the list.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'lab-hosts hosts-service-type
                                  (list
                                   (host "192.168.1.200" "ganeti.example.com")
                                   host "192.168.1.201" "node1.example.com")))))
