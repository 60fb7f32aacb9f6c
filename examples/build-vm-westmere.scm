;; A build VM on a Westmere CPU with 8 cores and 1 GiB of memory, started at
;; boot (the manual's second virtual-build-machine example).
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
  (services (append (list (service virtual-build-machine-service-type
                          (virtual-build-machine
                           (cpu "Westmere")
                           (cpu-count 8)
                           (memory-size (* 1 1024))
                           (auto-start? #t))))
                    %base-services)))
