;; A childhurd that keeps its state: a writable image outside the store and
;; no --snapshot option (the manual's persistent childhurd example).
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
  (services (append (list (service hurd-vm-service-type
                          (hurd-vm-configuration
                           (image (const "/no/almacen/y/perm/escritura/hurd.img"))
                           (options '()))))
                    %base-services)))
