;; A sanitizer that is a value, not a procedure.
(use-modules (gnu) (guix records))

(define-record-type* <greeter-configuration>
  greeter-configuration make-greeter-configuration
  greeter-configuration?
  (port greeter-configuration-port (default 8080) (sanitize 8080)))

(operating-system
  (host-name "vmhost"))
