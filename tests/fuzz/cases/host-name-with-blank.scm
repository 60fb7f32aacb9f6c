;; A host name pasted with a tab in it: /etc/hosts would read two names.
(use-modules (gnu))

(operating-system
  (host-name "vm	host"))
