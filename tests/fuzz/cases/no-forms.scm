;; Everything commented out with a datum comment: no form is left.
#;(operating-system
  (host-name "vmhost"))
