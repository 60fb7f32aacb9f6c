;; guix-service-type extended with a number where it takes build machines.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (cons (simple-service 'mine guix-service-type 42)
                  %base-services)))
