;; The manual's debootstrap hooks example as printed: plain-file is given the
;; script but no file name.
(debootstrap-configuration
 (hooks
  `((99-hola-mundo . ,(plain-file "#!/bin/sh\necho '¡Hola mundo!'")))))
