;; An activation extension given Scheme code as a quoted list instead of a gexp.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'dirs activation-service-type
                                  '(mkdir-p "/var/lib/mine")))))
