;; An account extension giving the user's name instead of a user-account.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'builder account-service-type
                                  (list "builder")))))
