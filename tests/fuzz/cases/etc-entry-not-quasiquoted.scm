;; The /etc entry quoted instead of quasiquoted: its file is the list (plain-file ...),
;; not a file.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'motd etc-service-type
                                  (list '("motd" (plain-file "motd" "Hi.\n")))))))
