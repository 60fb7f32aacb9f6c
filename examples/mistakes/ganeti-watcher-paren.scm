;; The manual's example of changing Ganeti's daemon configurations as printed:
;; ganeti-configuration is closed after rapi-configuration, so
;; (watcher-configuration ...) lands outside it, as a third argument of service.
(service ganeti-service-type
         (ganeti-configuration
          (rapi-configuration
           (ganeti-rapi-configuration
            (interface "eth1"))))
          (watcher-configuration
           (ganeti-watcher-configuration
            (rapi-ip "10.0.0.1"))))
