;; A host name made by string-copy (a mutable string), which libvirt's mDNS name uses.
(use-modules (gnu))
(use-service-modules virtualization)

(operating-system
  (host-name (string-copy "vmhost"))
  (services (list (service libvirt-service-type))))
