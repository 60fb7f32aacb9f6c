;; A device named where a file was meant: reading it would never end.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'motd etc-service-type
                                  (list `("motd" ,(local-file "/dev/zero")))))))
