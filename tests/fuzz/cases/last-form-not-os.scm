;; The system is defined, then a stray form follows it: the file's value is that form's.
(use-modules (gnu))

(define %os
  (operating-system
    (host-name "vmhost")))

%os
(file-system
  (mount-point "/")
  (device "/dev/sda1")
  (type "ext4"))
