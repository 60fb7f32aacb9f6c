;; The Guix OS provider with its variants kept in a local directory instead
;; of declared one by one; its variants.list is maintained by hand (the
;; manual's local-file variants example).
(use-modules (gnu))
(use-service-modules ganeti)

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
  (services (append (list (service ganeti-service-type
                                (ganeti-configuration
                                 (os (list (ganeti-os
                                            (name "guix")
                                            (variants
                                             (local-file "ganeti-guix-variants"
                                                         #:recursive? #true))))))))
                    %base-services)))
