;; An OS provider Guix does not ship, declared with ganeti-os and
;; ganeti-os-variant: /etc/ganeti/instance-personalizado/variants/ gets cosa.conf
;; ("Esto va bien") and variants.list (the manual's example).
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
                                            (name "personalizado")
                                            (extension ".conf")
                                            (variants
                                             (list (ganeti-os-variant
                                                    (name "cosa")
                                                    (configuration
                                                     (plain-file "archivo"
                                                                 "Esto va bien")))))))))))
                    %base-services)))
