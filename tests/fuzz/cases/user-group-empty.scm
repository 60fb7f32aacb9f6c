;; A user whose group name was emptied: activation could only say the group "" does
;; not exist.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (users (cons (user-account
                (name "alice")
                (group ""))
               %base-user-accounts)))
