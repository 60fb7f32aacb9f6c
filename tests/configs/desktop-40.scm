;; A desktop and virtualization host written the way real Guix configs are: nonguix's
;; kernel and microcode, GNOME through %desktop-services, Docker, CUPS, Bluetooth,
;; libvirt and QEMU emulation.  Used by bench/bench_desktop.py and the corpus tests.
(use-modules (gnu) (gnu system nss) (guix utils)
             (nongnu packages linux) (nongnu system linux-initrd))
(use-service-modules cups desktop docker networking ssh xorg virtualization
                     pm sound dbus admin mcron)
(use-package-modules certs gnome emacs version-control wm)

(define %my-user "ada")

(operating-system
  (kernel linux)
  (initrd microcode-initrd)
  (firmware (list linux-firmware))
  (host-name "tangerine")
  (timezone "Europe/Lisbon")
  (locale "pt_PT.utf8")
  (keyboard-layout (keyboard-layout "pt" #:options '("ctrl:nocaps")))
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))
                (keyboard-layout keyboard-layout)))
  (mapped-devices (list (mapped-device
                          (source (uuid "6a5b1c40-2f1e-4f7a-9c55-0e8b7d4a1f20"))
                          (target "cryptroot")
                          (type luks-device-mapping))))
  (file-systems (append (list (file-system
                                (device (file-system-label "root"))
                                (mount-point "/")
                                (type "ext4")
                                (dependencies mapped-devices))
                              (file-system
                                (device (uuid "1A2B-3C4D" 'fat))
                                (mount-point "/boot/efi")
                                (type "vfat")))
                        %base-file-systems))
  (users (cons (user-account
                 (name %my-user)
                 (comment "Ada")
                 (group "users")
                 (supplementary-groups '("wheel" "netdev" "audio" "video"
                                         "libvirt" "kvm" "docker" "lp")))
               %base-user-accounts))
  (sudoers-file (plain-file "sudoers"
                            (string-append (plain-file-content %sudoers-specification)
                                           %my-user " ALL=(ALL) NOPASSWD: ALL\n")))
  (packages (append (list git emacs sway)
                    (specifications->packages (list "htop" "curl" "qemu"))
                    %base-packages))
  (services
   (append
    (list (service gnome-desktop-service-type)
          (service xfce-desktop-service-type)
          (set-xorg-configuration
           (xorg-configuration (keyboard-layout keyboard-layout)))
          (service openssh-service-type
                   (openssh-configuration (port-number 2222)
                                          (password-authentication? #f)))
          (service docker-service-type)
          (service cups-service-type
                   (cups-configuration (web-interface? #t)))
          (service bluetooth-service-type
                   (bluetooth-configuration (auto-enable? #t)))
          (service tlp-service-type)
          (service thermald-service-type)
          (service libvirt-service-type
                   (libvirt-configuration (unix-sock-group "libvirt")))
          (service virtlog-service-type)
          (service qemu-binfmt-service-type
                   (qemu-binfmt-configuration
                    (platforms (lookup-qemu-platforms "arm" "aarch64"))))
          (simple-service 'cleanup mcron-service-type
                          (list #~(job "0 3 * * *" "guix gc -F 10G"))))
    (modify-services %desktop-services
      (gdm-service-type config => (gdm-configuration (inherit config) (wayland? #t)))
      (delete screen-locker-service-type))))
  (name-service-switch %mdns-host-lookup-nss))
