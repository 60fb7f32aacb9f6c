;; A config saved in Latin-1: the e-acute of the host name is one byte.
(operating-system
  (host-name "café"))
