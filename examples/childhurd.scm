;; A childhurd whose disk image is large enough to build GNU Hello, with more
;; memory (the manual's hurd-vm-service-type example).
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
  (services
   (append (list (service hurd-vm-service-type
                          (hurd-vm-configuration
                           (disk-size (* 5000 (expt 2 20))) ;5G
                           (memory-size 1024))))            ;1024MiB
           %base-services)))
