;; A childhurd running a GNU/Hurd system of our own, derived from the default one:
;; a user account for charlie, and SSH logins as root and charlie with charlie's
;; key (the manual's hurd-vm example; the key file stands beside this config).
(use-modules (gnu))
(use-service-modules ssh virtualization)

(define childhurd-os
  ;; Definition of my GNU/Hurd system, derived from the default one.
  (operating-system
    (inherit %hurd-vm-operating-system)

    ;; Add a user account.
    (users (cons (user-account
                  (name "charlie")
                  (comment "This is me!")
                  (group "users")
                  (supplementary-groups '("wheel"))) ;for 'sudo'
                 %base-user-accounts))

    (services
     ;; Modify the SSH configuration to allow login as "root"
     ;; and as "charlie" using public key authentication.
     (modify-services (operating-system-user-services
                       %hurd-vm-operating-system)
       (openssh-service-type
        config => (openssh-configuration
                   (inherit config)
                   (authorized-keys
                    `(("root"
                       ,(local-file "keys/charlie.pub"))
                      ("charlie"
                       ,(local-file "keys/charlie.pub"))))))))))

(operating-system
  (host-name "vmhost")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets (list "/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (services
   ;; Add the 'hurd-vm' service, configured to use the
   ;; operating system configuration above.
   (append (list (service hurd-vm-service-type
                          (hurd-vm-configuration
                           (os childhurd-os))))
           %base-services)))
