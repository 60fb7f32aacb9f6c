;; The example `make run` builds: a small virtualization host.
;;
;; - libvirtd and virtlogd, with the user "alice" in the libvirt group so she can
;;   manage VMs without root;
;; - QEMU's user-mode emulation of ARM and AArch64 programs through binfmt_misc;
;; - a virtual build machine, started by hand with `vsys herd start build-vm'.
;;
;; Try: vsys reconfigure examples/default.scm, then vsys herd status.
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
  (users (cons (user-account
                (name "alice")
                (group "users")
                (supplementary-groups '("libvirt" "kvm")))
               %base-user-accounts))
  (services (append (list (service libvirt-service-type
                                   (libvirt-configuration
                                    (unix-sock-group "libvirt")))
                          (service virtlog-service-type)
                          (service qemu-binfmt-service-type
                                   (qemu-binfmt-configuration
                                    (platforms (lookup-qemu-platforms "arm" "aarch64"))))
                          (service virtual-build-machine-service-type))
                    %base-services)))
