;; libvirtd given the user account meant for the users field.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "vmhost")
  (services (list (service libvirt-service-type
                           (user-account
                            (name "alice")
                            (group "users"))))))
