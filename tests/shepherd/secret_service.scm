;;; The secret-service protocol in Guile, written for the tests from the protocol's
;;; description, to check that vsys speaks it as a Guile peer does.
;;;
;;;   guile secret_service.scm receive PORT DIR   listen on 127.0.0.1:PORT (0: any port),
;;;                                               print "port N", install the files under DIR
;;;   guile secret_service.scm send PORT ROOT     send the files under ROOT to 127.0.0.1:PORT
;;;
;;; The guest writes the datum (secret-service-server (version 0)) and nothing else; the
;;; host answers (secrets (version 0) (files ((PATH SIZE MODE) ...))) followed by the bytes
;;; of each file, in that order.  PATH starts with "/" and is relative to the root.  The
;;; sender walks ROOT with lstat: it descends directories, and any other entry is a file
;;; to send, read (and stat'ed) through links.  A missing ROOT sends no files.

(use-modules (ice-9 binary-ports)
             (ice-9 ftw)
             (ice-9 match)
             (rnrs bytevectors)
             (srfi srfi-1))

(define (say fmt . args)
  (apply format #t fmt args)
  (force-output))

(define (copy-bytes in out count)
  ;; Copy exactly COUNT bytes from IN to OUT; fail on a short read.
  (let loop ((left count))
    (when (> left 0)
      (let ((chunk (get-bytevector-n in (min left 65536))))
        (when (eof-object? chunk)
          (error "connection closed with bytes missing" left))
        (put-bytevector out chunk)
        (loop (- left (bytevector-length chunk)))))))

(define (make-directories dir)
  (unless (or (string-null? dir) (file-exists? dir))
    (make-directories (dirname dir))
    (mkdir dir)))

(define (receive port-number dir)
  (let ((server (socket AF_INET SOCK_STREAM 0)))
    (setsockopt server SOL_SOCKET SO_REUSEADDR 1)
    (bind server AF_INET INADDR_LOOPBACK port-number)
    (listen server 1)
    (say "port ~a~%" (sockaddr:port (getsockname server)))
    (match (accept server)
      ((client . _)
       (close-port server)
       (set-port-encoding! client "UTF-8")
       (write '(secret-service-server (version 0)) client)
       (force-output client)
       (match (read client)
         (('secrets ('version 0) ('files ((names sizes modes) ...)))
          (for-each (lambda (name size mode)
                      (let ((target (string-append dir name)))
                        (make-directories (dirname target))
                        (when (false-if-exception (lstat target))
                          (delete-file target))
                        (call-with-output-file target
                          (lambda (out) (copy-bytes client out size))
                          #:binary #t)
                        (chmod target mode)
                        (say "installed ~s~%" name)))
                    names sizes modes)
          (close-port client))
         (other
          (error "unexpected message" other)))))))

(define (files-under root)
  ;; Every non-directory entry under ROOT, as full names, sorted.
  (define (walk dir)
    (let ((entries (or (scandir dir (lambda (name)
                                      (not (member name '("." "..")))))
                       '())))
      (append-map (lambda (name)
                    (let ((full (string-append dir "/" name)))
                      (if (eq? 'directory (stat:type (lstat full)))
                          (walk full)
                          (list full))))
                  entries)))
  (if (file-exists? root)
      (sort (walk root) string<?)
      '()))

(define (send port-number root)
  (let ((sock (socket AF_INET SOCK_STREAM 0)))
    (connect sock AF_INET INADDR_LOOPBACK port-number)
    (set-port-encoding! sock "UTF-8")
    (match (read sock)
      (('secret-service-server ('version _ ...))
       (let* ((files (files-under root))
              (entries (map (lambda (file)
                              (let ((st (stat file)))
                                (list (substring file (string-length root))
                                      (stat:size st) (stat:mode st))))
                            files)))
         (write `(secrets (version 0) (files ,entries)) sock)
         (for-each (lambda (file)
                     (call-with-input-file file
                       (lambda (in) (copy-bytes in sock (stat:size (stat file))))
                       #:binary #t))
                   files)
         (force-output sock)
         (close-port sock)
         (say "sent ~a~%" (length files))))
      (other
       (error "unexpected handshake" other)))))

(match (command-line)
  ((_ "receive" port dir) (receive (string->number port) dir))
  ((_ "send" port root) (send (string->number port) root)))
