;; A file-system record wrapped in an extra pair of parentheses: it is called.
(use-modules (gnu))
(operating-system
  (host-name "vmhost")
  (file-systems (cons ((file-system
                        (mount-point "/")
                        (device "/dev/sda1")
                        (type "ext4")))
                      %base-file-systems)))
