;; virtlogd, the daemon keeping the logs of virtual machine consoles, accepting
;; at most 1000 clients (the manual's virtlog-service-type example).
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
  (services (append (list (service virtlog-service-type
                          (virtlog-configuration
                           (max-clients 1000))))
                    %base-services)))
