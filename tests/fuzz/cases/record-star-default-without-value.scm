;; A field's default expression deleted, leaving (default).
(use-modules (gnu) (guix records))

(define-record-type* <greeter-configuration>
  greeter-configuration make-greeter-configuration
  greeter-configuration?
  (message greeter-configuration-message (default))
  (port    greeter-configuration-port    (default 8080)))

(operating-system
  (host-name "vmhost"))
