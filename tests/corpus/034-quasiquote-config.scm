;; quasiquote building config-like data, as in service definitions.
(define port 2222)
(define users '("alice" "bob"))
(define (user-entry u) `(user (name ,u) (home ,(string-append "/home/" u))))
(define config
  `(service ssh
            (port ,port)
            (password-auth? ,(> port 1024))
            ,@(map user-entry users)
            (extra . ,(length users))))
(write config) (newline)
(display config) (newline)
