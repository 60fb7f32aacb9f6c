;; A small system reached over SSH: the user alice, who logs in with her key, and sshd
;; on port 22.  Its sandbox is a container with an address of its own, so try:
;;
;;   vsys container examples/ssh-container.scm     (prints the address, say 10.199.x.y)
;;   ssh alice@10.199.x.y                          (with alice's private key)
;;
;; or `vsys reconfigure` it, then `vsys exec -- id alice`.
(use-modules (gnu))
(use-service-modules ssh)

(operating-system
  (host-name "sshbox")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (users (cons (user-account
                (name "alice")
                (group "users")
                (comment "Alice"))
               %base-user-accounts))
  (services (cons (service openssh-service-type
                           (openssh-configuration
                            (port-number 22)
                            (password-authentication? #f)
                            (authorized-keys
                             `(("alice" ,(local-file "keys/alice.pub"))))))
                  %base-services)))
