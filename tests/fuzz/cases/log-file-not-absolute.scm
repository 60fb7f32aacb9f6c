;; A Shepherd service logging to a file name without its directory.
(use-modules (gnu))
(use-service-modules shepherd)

(operating-system
  (host-name "vmhost")
  (services
   (list (simple-service 'greeter shepherd-root-service-type
                         (list (shepherd-service
                                (provision '(greeter))
                                (start #~(make-forkexec-constructor
                                          (list "/bin/sh" "-c" "echo hello")
                                          #:log-file "greeter.log"))))))))
