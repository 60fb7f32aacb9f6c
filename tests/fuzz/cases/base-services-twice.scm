;; %base-services appended twice: two guix services, and the build machine extends guix.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "vmhost")
  (services (append (list (service virtual-build-machine-service-type))
                    %base-services
                    %base-services)))
