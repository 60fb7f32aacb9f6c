;; A Shepherd service named after a word herd keeps for itself.
(use-modules (gnu))
(use-service-modules shepherd)

(operating-system
  (host-name "vmhost")
  (services
   (list (simple-service 'mine shepherd-root-service-type
                         (list (shepherd-service
                                (provision '(root))
                                (start #~(const #t))))))))
