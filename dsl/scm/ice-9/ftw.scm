;;; (ice-9 ftw): walking a file tree, as Guile's module does.
;;;
;;; ftw and nftw call back with (NAME STAT FLAG) and (NAME STAT FLAG BASE LEVEL) and
;;; stop when a callback returns anything but #t, which they then return.
;;; file-system-fold folds LEAF, DOWN, UP, SKIP and ERROR over a tree; file-system-tree
;;; builds (NAME STAT CHILDREN...) from it; scandir lists one directory, sorted.
;;; Each file is reported once, recognised by its device and inode (by the hash of its
;;; name where the file system gives inode 0), so a symbolic link loop ends.
(define-module (ice-9 ftw)
  #:use-module (srfi srfi-1)
  #:use-module (ice-9 i18n)
  #:use-module (ice-9 control)
  #:export (ftw nftw file-system-fold file-system-tree scandir))

;; The identity of the file whose stat vector is ST, reached as NAME.
(define (file-identity st name)
  (let ((ino (stat:ino st)))
    (cons (stat:dev st) (if (zero? ino) (string-hash name) ino))))

;; A procedure (VISITED? STAT NAME): #f the first time it meets a file, #t after;
;; #f for a missing STAT.  SIZE is how many files the walk expects (a hint).
(define (visited?-proc size)
  (let ((seen (make-hash-table size)))
    (lambda (st name)
      (and st
           (let ((id (file-identity st name)))
             (or (hash-ref seen id #f)
                 (begin (hash-set! seen id #t) #f)))))))

;; The names in directory DIR but "." and "..", last listed first.
(define (directory-names dir)
  (let ((stream (opendir dir)))
    (let next ((names '()))
      (let ((entry (readdir stream)))
        (cond ((eof-object? entry) (closedir stream) names)
              ((member entry '("." "..")) (next names))
              (else (next (cons entry names))))))))

;; NAME without one trailing slash ("/" stays).
(define (without-trailing-slash name)
  (let ((n (string-length name)))
    (if (and (> n 1) (char=? (string-ref name (- n 1)) #\/))
        (substring name 0 (- n 1))
        name)))

(define (hash-size-option options)
  (let ((tail (memq 'hash-size options)))
    (if (and tail (pair? (cdr tail))) (cadr tail) 211)))

;; Whether the user running the walk may read the directory ST describes.
(define (readable-directory? st)
  (let ((uid (getuid)) (gid (getgid)) (perms (stat:perms st)))
    (or (eqv? uid 0)
        (and (eqv? uid (stat:uid st)) (logtest #o400 perms))
        (and (eqv? gid (stat:gid st)) (logtest #o040 perms))
        (logtest #o004 perms))))

;; A procedure NAME -> (values STAT FLAG) for the walks.  FLAGS: depth (directories
;; are directory-processed), physical (links are reported, not followed), nftw-style
;; (a dangling link is stale-symlink rather than symlink).
(define (classifier flags)
  (define (kind st)
    (cond ((not (eq? (stat:type st) 'directory)) 'regular)
          ((not (readable-directory? st)) 'directory-not-readable)
          ((memq 'depth flags) 'directory-processed)
          (else 'directory)))
  (lambda (name)
    (let ((st (false-if-exception (lstat name))))
      (cond ((not st) (values #f 'invalid-stat))
            ((not (eq? (stat:type st) 'symlink)) (values st (kind st)))
            (else
             (let ((target (false-if-exception (stat name))))
               (cond ((not target)
                      (values st (if (memq 'nftw-style flags) 'stale-symlink 'symlink)))
                     ((memq 'physical flags) (values st 'symlink))
                     (else (values target (kind target))))))))))

(define (ftw filename proc . options)
  (let ((visited? (visited?-proc (hash-size-option options)))
        (classify (classifier '())))
    (let/ec stop
      (let walk ((name (without-trailing-slash filename)))
        (call-with-values (lambda () (classify name))
          (lambda (st flag)
            (unless (visited? st name)
              (let ((answer (proc name st flag)))
                (unless (eq? answer #t) (stop answer)))
              (when (eq? flag 'directory)
                (for-each (lambda (child) (walk (string-append name "/" child)))
                          (directory-names name))))
            #t))))))

(define (nftw filename proc . flags)
  (let* ((start-dir (getcwd))
         (start-dev (let ((st (false-if-exception (lstat filename))))
                      (if st (stat:dev st) -1)))
         (chdir? (memq 'chdir flags))
         (depth? (memq 'depth flags))
         (parent-kind (if depth? 'directory-processed 'directory))
         (visited? (visited?-proc (hash-size-option flags)))
         (classify (classifier (cons 'nftw-style flags))))
    ;; With 'chdir, the callback runs in the directory that holds the file.
    (define (enter-parent name base)
      (when chdir?
        (if (absolute-file-name? filename)
            (unless (= base 0) (chdir (substring name 0 base)))
            (chdir (string-append start-dir "/" (substring name 0 base))))))
    (define (on-device? st)
      (or (not (memq 'mount flags)) (= (stat:dev st) start-dev)))
    (let ((answer
           (let/ec stop
             (let walk ((name (without-trailing-slash filename)) (base 0) (level 0))
               (call-with-values (lambda () (classify name))
                 (lambda (st flag)
                   (define (report)
                     (enter-parent name base)
                     (let ((answer (proc name st flag base level)))
                       (when chdir? (chdir start-dir))
                       (unless (eq? answer #t) (stop answer))))
                   (define (children)
                     (when (eq? flag parent-kind)
                       (for-each (lambda (child)
                                   (walk (string-append name "/" child)
                                         (+ 1 (string-length name)) (+ level 1)))
                                 (directory-names name))))
                   (unless (or (visited? st name) (not (on-device? st)))
                     (if depth?
                         (begin (children) (report))
                         (begin (report) (children))))
                   #t))))))
      (chdir start-dir)
      answer)))

;; The errno of a system-error THUNK raises, or THUNK's value.
(define (or-errno thunk)
  (catch 'system-error thunk (lambda args (system-error-errno args))))

(define* (file-system-fold enter? leaf down up skip error init file-name
                           #:optional (stat lstat))
  (define seen (make-hash-table))
  (define (seen? st name) (hash-ref seen (file-identity st name) #f))
  (define (see! st name) (hash-set! seen (file-identity st name) #t))
  ;; Fold over the directory NAME (stat ST): its files as they are listed, then its
  ;; sub-directories, last listed first.
  (define (directory name st result)
    (see! st name)
    (let ((stream (or-errno (lambda () (opendir name)))))
      (if (integer? stream)
          (error name st stream result)
          (let next ((result (down name st result)) (subdirs '()))
            (let ((entry (readdir stream)))
              (cond
               ((eof-object? entry)
                (closedir stream)
                (up name st (fold (lambda (sub result) (walk (car sub) (cdr sub) result))
                                  result subdirs)))
               ((member entry '("." "..")) (next result subdirs))
               (else
                (let* ((child (string-append name "/" entry))
                       (child-st (or-errno (lambda () (stat child)))))
                  (cond ((integer? child-st)
                         (next (error child #f child-st result) subdirs))
                        ((eq? (stat:type child-st) 'directory)
                         (next result (cons (cons child child-st) subdirs)))
                        (else (next (leaf child child-st result) subdirs)))))))))))
  (define (walk name st result)
    (cond ((seen? st name) result)
          ((not (eq? (stat:type st) 'directory)) (leaf name st result))
          ((enter? name st result) (directory name st result))
          (else (see! st name) (skip name st result))))
  (let ((st (or-errno (lambda () (stat file-name)))))
    (if (integer? st)
        (error file-name #f st init)
        (walk file-name st init))))

;; The fold's state is a stack of sibling lists, the innermost directory's on top.
(define* (file-system-tree file-name #:optional (enter? (lambda (name st) #t))
                           (stat lstat))
  (define (add name st children stack)
    (cons (cons (cons* (basename name) st children) (car stack)) (cdr stack)))
  (define (leaf name st stack) (add name st '() stack))
  (define (down name st stack) (cons '() stack))
  (define (up name st stack) (add name st (car stack) (cdr stack)))
  (define (error name st errno stack)
    (if (string=? name file-name) stack (leaf name st stack)))
  (let ((stack (file-system-fold (lambda (name st stack) (enter? name st))
                                 leaf down up leaf error '(()) file-name stat)))
    (and (pair? (car stack)) (caar stack))))

(define* (scandir name #:optional (select? (const #t)) (entry<? string-locale<?))
  (let ((stream (catch 'system-error (lambda () (opendir name)) (const #f))))
    (and stream
         (let next ((chosen '()))
           (let ((entry (readdir stream)))
             (if (eof-object? entry)
                 (begin (closedir stream) (sort chosen entry<?))
                 (next (if (select? entry) (cons entry chosen) chosen))))))))
