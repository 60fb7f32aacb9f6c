;; A virtual build machine with the default settings: started by hand with
;; `herd start build-vm', its clock years in the past and a CPU of that time
;; (the manual's first virtual-build-machine example).
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
  (services (append (list (service virtual-build-machine-service-type))
                    %base-services)))
