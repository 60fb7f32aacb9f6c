;; A host that runs libvirtd, its secure TLS port moved to 16555, and a user
;; allowed to manage virtual machines through the `libvirt' group (the
;; manual's libvirt-service-type example).
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "vmhost")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                (name "user")
                (group "users")
                (supplementary-groups '("libvirt"
                                        "audio" "video" "wheel")))
               %base-user-accounts))
  (services (cons (service libvirt-service-type
                           (libvirt-configuration
                            (tls-port "16555")))
                  %base-services)))
