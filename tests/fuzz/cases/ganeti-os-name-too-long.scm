;; A ganeti-os name longer than a file name can be (it names instance-NAME).
(use-modules (gnu))
(use-service-modules ganeti)

(operating-system
  (host-name "vmhost")
  (services (list (service ganeti-service-type
                           (ganeti-configuration
                            (os (list (ganeti-os
                                       (name (make-string 300 #\g))
                                       (extension ".conf")
                                       (variants
                                        (list (ganeti-os-variant
                                               (name "default")
                                               (configuration
                                                (plain-file "default.conf" "")))))))))))))
