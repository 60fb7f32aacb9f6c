;; A host with a static network, its own /etc/hosts entries, SSH logins by key,
;; extra accounts and groups, and the base services adjusted with modify-services:
;; the fields a person edits most often.
(use-modules (gnu))
(use-service-modules networking ssh mcron)

(define %admin-key
  (plain-file "admin.pub" "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleExampleExample admin"))

(operating-system
  (host-name "edge")
  (timezone "Europe/Berlin")
  (locale "de_DE.utf8")
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("/boot/efi"))))
  (file-systems (append (list (file-system
                                (mount-point "/")
                                (device "/dev/sda2")
                                (type "ext4"))
                              (file-system
                                (mount-point "/boot/efi")
                                (device "/dev/sda1")
                                (type "vfat")))
                        %base-file-systems))
  (groups (cons (user-group (name "ops") (id 2000)) %base-groups))
  (users (append (list (user-account
                        (name "admin")
                        (comment "Administrator")
                        (group "users")
                        (supplementary-groups '("wheel" "ops"))
                        (home-directory "/home/admin"))
                       (user-account
                        (name "backup")
                        (uid 990)
                        (group "ops")
                        (system? #t)
                        (home-directory "/var/lib/backup")
                        (create-home-directory? #f)))
                 %base-user-accounts))
  (services
   (append
    (list (service static-networking-service-type
                   (list (static-networking
                          (addresses (list (network-address
                                            (device "eth0")
                                            (value "192.168.10.2/24"))))
                          (routes (list (network-route
                                         (destination "default")
                                         (gateway "192.168.10.1"))))
                          (name-servers '("192.168.10.1" "9.9.9.9")))))
          (service openssh-service-type
                   (openssh-configuration
                    (port-number 2222)
                    (permit-root-login 'prohibit-password)
                    (password-authentication? #f)
                    (authorized-keys `(("admin" ,%admin-key)
                                       ("backup" ,%admin-key)))))
          (simple-service 'lab-hosts hosts-service-type
                          (list (host "192.168.10.3" "nas" '("nas.lab"))
                                (host "192.168.10.4" "printer")))
          (simple-service 'backup-job mcron-service-type
                          (list #~(job "0 3 * * *" "/usr/bin/rsync -a /home /srv/backup"))))
    (modify-services %base-services
      (guix-service-type config =>
                         (guix-configuration
                          (inherit config)
                          (substitute-urls '("https://ci.guix.gnu.org"))
                          (max-silent-time 7200)
                          (extra-options '("--cores=2"))))))))
