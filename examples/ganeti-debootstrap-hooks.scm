;; A debootstrap variant whose hooks directory holds one executable,
;; 99-hola-mundo, run whenever an instance of this variant is installed (the
;; manual's hooks example, with plain-file given its name).
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
                                 (os (list (debootstrap-os
                                            (list (debootstrap-variant
                                                   "hola"
                                                   (debootstrap-configuration
                                                    (hooks
                                                     `((99-hola-mundo
                                                        . ,(plain-file
                                                            "hola-mundo"
                                                            "#!/bin/sh\necho '¡Hola mundo!'")))))))))))))
                    %base-services)))
