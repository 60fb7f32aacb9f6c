;; host-milestones extended with a number where it takes Shepherd names.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (cons (simple-service 'mine host-milestones-service-type (list 42))
                  %base-services)))
