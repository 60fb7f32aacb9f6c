;; The system inside a virtual build machine or a Linux childhurd: what `vsys image`
;; turns into a bootable disk.
;;
;; - the secret service receives the SSH host keys, the offloading key and the signing
;;   key from the host on port 1004, before sshd starts;
;; - sshd on port 22 lets the host log in as "offloading" with the key it generated;
;; - the QEMU guest agent answers the host on the VM's agent channel.
;;
;; `herd start` names this file when a VM's image is missing.
(use-modules (gnu))
(use-service-modules networking ssh virtualization)

(operating-system
  (host-name "build-vm")
  (timezone "UTC")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device "/dev/vda1")
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                (name "offloading")
                (comment "Builds offloaded by the host")
                (group "users"))
               %base-user-accounts))
  (services (append (list (service secret-service-type 1004)
                          (service openssh-service-type
                                   (openssh-configuration
                                    (port-number 22)
                                    (password-authentication? #f)
                                    (permit-root-login #f)))
                          (service qemu-guest-agent-service-type))
                    %base-services)))
