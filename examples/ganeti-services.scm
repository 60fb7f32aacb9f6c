;; Ganeti's daemons and jobs declared one by one, which is what
;; ganeti-service-type stands for (the manual's list; /etc/ganeti and the
;; activation directories come only with ganeti-service-type itself).
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
  (services (append (list (service ganeti-noded-service-type)
                          (service ganeti-confd-service-type)
                          (service ganeti-wconfd-service-type)
                          (service ganeti-luxid-service-type)
                          (service ganeti-kvmd-service-type)
                          (service ganeti-mond-service-type)
                          (service ganeti-metad-service-type)
                          (service ganeti-watcher-service-type)
                          (service ganeti-cleaner-service-type))
                    %base-services)))
