;; An /etc entry whose name is longer than a file name can be.
(use-modules (gnu))

(operating-system
  (host-name "vmhost")
  (services (list (simple-service 'motd etc-service-type
                                  (list `(,(make-string 300 #\m)
                                          ,(plain-file "motd" "Hi.\n")))))))
