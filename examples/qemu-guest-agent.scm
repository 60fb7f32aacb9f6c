;; A guest system running the QEMU guest agent, so that the host controls it
;; through a virtio serial port (the manual's qemu-guest-agent section).
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
  (services (append (list (service qemu-guest-agent-service-type))
                    %base-services)))
