;; A mount point with a blank: its Shepherd service would be "file-system-/srv/vm images".
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (file-systems (cons (file-system
                        (mount-point "/srv/vm images")
                        (device "/dev/sdb1")
                        (type "ext4"))
                      %base-file-systems)))
