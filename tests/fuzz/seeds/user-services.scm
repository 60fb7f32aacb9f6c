;; Services written in the config itself, with the forms Guix's own services use:
;; a service type with a configuration record, Shepherd services, /etc files,
;; accounts, activation, periodic jobs and files made from gexps.
(use-modules (gnu) (guix gexp) (guix records) (srfi srfi-1))
(use-service-modules shepherd mcron)

(define-record-type* <greeter-configuration>
  greeter-configuration make-greeter-configuration
  greeter-configuration?
  (message greeter-configuration-message (default "hello"))
  (port    greeter-configuration-port    (default 8080)))

(define (greeter-shepherd-service config)
  (list (shepherd-service
         (provision '(greeter))
         (requirement '(networking))
         (documentation "Say hello on a port.")
         (start #~(make-forkexec-constructor
                   (list "/bin/sh" "-c"
                         #$(string-append "echo "
                                          (greeter-configuration-message config)))
                   #:log-file "/var/log/greeter.log"))
         (stop #~(make-kill-destructor)))))

(define greeter-service-type
  (service-type
   (name 'greeter)
   (extensions
    (list (service-extension shepherd-root-service-type greeter-shepherd-service)
          (service-extension etc-service-type
                             (lambda (config)
                               `(("greeter.conf"
                                  ,(mixed-text-file "greeter.conf"
                                                    "message = "
                                                    (greeter-configuration-message config)
                                                    "\n")))))
          (service-extension account-service-type
                             (const (list (user-group (name "greeter") (system? #t))
                                          (user-account
                                           (name "greeter")
                                           (group "greeter")
                                           (system? #t)
                                           (home-directory "/var/empty")))))
          (service-extension activation-service-type
                             (const #~(begin (mkdir-p "/var/lib/greeter"))))))
   (default-value (greeter-configuration))
   (description "Greet whoever connects.")))

(define %report
  (program-file "report"
                #~(begin (display "load: ")
                         (display #$(plain-file "motd" "Welcome.\n"))
                         (newline))))

(operating-system
  (host-name "greeter-host")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems))
  (services (append (list (service greeter-service-type
                                   (greeter-configuration
                                    (message "bonjour")))
                          (simple-service 'motd etc-service-type
                                          (list `("motd" ,(plain-file "motd" "Hi.\n"))))
                          (simple-service 'jobs mcron-service-type
                                          (list #~(job "*/5 * * * *" #$%report)
                                                #~(job '(next-hour '(3)) "date")))
                          (simple-service 'extra shepherd-root-service-type
                                          (list (shepherd-service
                                                 (provision '(extra))
                                                 (one-shot? #t)
                                                 (start #~(lambda _ (system* "/bin/true")))))))
                    %base-services)))
