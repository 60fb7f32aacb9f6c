;; Ganeti with its remote API bound to eth1 and the watcher told the API's
;; address (the manual's example of changing the daemons' configurations, its
;; closing parentheses put back in place).
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
                                 (rapi-configuration
                                  (ganeti-rapi-configuration
                                   (interface "eth1")))
                                 (watcher-configuration
                                  (ganeti-watcher-configuration
                                   (rapi-ip "10.0.0.1"))))))
                    %base-services)))
