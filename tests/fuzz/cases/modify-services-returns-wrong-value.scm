;; The modify-services clause returns a field's value, not the changed record.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name "vmhost")
  (services
   (modify-services (list (service libvirt-service-type))
     (libvirt-service-type config =>
                           "16555"))))
