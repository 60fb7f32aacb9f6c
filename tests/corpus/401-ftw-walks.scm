;; (ice-9 ftw) over a small tree the program makes and removes: ftw and nftw with
;; their flags, file-system-fold, file-system-tree, scandir, and the errors they report.
(use-modules (ice-9 ftw) (srfi srfi-1))

(define top (string-append "/tmp/ftw-corpus-" (number->string (getpid))))
(define (at . parts) (apply string-append top (map (lambda (p) (string-append "/" p)) parts)))
;; Names relative to the top; the link to a stands for a, since which of the two a walk
;; meets first depends on the order the system lists them.
(define (rel name)
  (let ((r (if (string-prefix? top name)
               (string-append "." (substring name (string-length top)))
               name)))
    (if (string-prefix? "./link-to-a" r)
        (string-append "./a" (substring r (string-length "./link-to-a")))
        r)))
(define (touch name) (call-with-output-file name (lambda (p) (display "x" p))))

(mkdir top)
(mkdir (at "a"))
(mkdir (at "a" "b"))
(touch (at "top.txt"))
(touch (at "a" "one"))
(touch (at "a" "b" "two"))
(symlink "a" (at "link-to-a"))
(symlink "nowhere" (at "dangling"))

(define (show label x) (display label) (display ": ") (write x) (newline))

;; ftw: every file once (the link to a is followed, and a is not reported twice).
(define seen '())
(show "ftw" (ftw top (lambda (name st flag) (set! seen (cons (list (rel name) flag) seen)) #t)))
(show "ftw saw" (sort seen (lambda (x y) (string<? (object->string x) (object->string y)))))

;; A callback's answer other than #t stops the walk and is returned.
(show "ftw stop" (ftw top (lambda (name st flag) (if (string-suffix? "two" name) 'found #t))))

(define (nftw-list . flags)
  (let ((acc '()))
    (apply nftw top (lambda (name st flag base level)
                      (set! acc (cons (list (rel name) flag (rel (substring name base)) level) acc))
                      #t)
           flags)
    (sort acc (lambda (x y) (string<? (object->string x) (object->string y))))))
(show "nftw" (nftw-list))
(show "nftw physical" (nftw-list 'physical))
(show "nftw depth" (nftw-list 'depth 'physical))

;; depth: a directory comes after what it holds.
(define order '())
(nftw top (lambda (name st flag base level) (set! order (cons (rel name) order)) #t)
      'depth 'physical)
(show "b before a" (< (list-index (lambda (n) (string=? n "./a")) order)
                      (list-index (lambda (n) (string=? n "./a/b")) order)))

;; chdir: the callback runs in the directory holding the file.
(define here (getcwd))
(nftw top (lambda (name st flag base level)
            (when (string-suffix? "/two" name)
              (show "chdir" (list (rel (getcwd)) (file-exists? "two"))))
            #t)
      'chdir)
(show "back" (string=? here (getcwd)))

;; file-system-fold: the default stat (lstat) keeps links as leaves.
(define (fold-events . stat)
  (sort (apply file-system-fold
               (lambda (n s r) (not (string-suffix? "/b" n)))
               (lambda (n s r) (cons (list 'leaf (rel n)) r))
               (lambda (n s r) (cons (list 'down (rel n)) r))
               (lambda (n s r) (cons (list 'up (rel n)) r))
               (lambda (n s r) (cons (list 'skip (rel n)) r))
               (lambda (n s e r) (cons (list 'error (rel n) (= e ENOENT)) r))
               '() top stat)
        (lambda (x y) (string<? (object->string x) (object->string y)))))
(show "fold lstat" (fold-events))
(show "fold stat" (fold-events stat))
(show "fold flat" (file-system-fold (const #t) (lambda (n s r) (cons (rel n) r))
                                    list list list list '() (at "top.txt")))
(show "fold missing" (file-system-fold (const #t) list list list list
                                       (lambda (n s e r) (list (rel n) s (= e ENOENT) r))
                                       'init (at "missing")))

;; file-system-tree: (NAME STAT CHILDREN...).
(define (shape tree)
  (cons (if (string-prefix? "ftw-corpus-" (car tree)) "top" (car tree))
        (cons (stat:type (cadr tree))
              (sort (map shape (cddr tree))
                    (lambda (x y) (string<? (car x) (car y)))))))
(show "tree" (shape (file-system-tree top)))
(show "tree shallow" (shape (file-system-tree top (lambda (n s) (string=? n top)))))
(show "tree missing" (file-system-tree (at "missing")))

(show "scandir" (scandir top))
(show "scandir select" (scandir top (lambda (n) (not (string-prefix? "." n)))))
(show "scandir reverse" (scandir (at "a") (const #t) string>?))
(show "scandir file" (scandir (at "top.txt")))
(show "scandir missing" (scandir (at "missing")))

(delete-file (at "dangling"))
(delete-file (at "link-to-a"))
(delete-file (at "a" "b" "two"))
(delete-file (at "a" "one"))
(delete-file (at "top.txt"))
(rmdir (at "a" "b"))
(rmdir (at "a"))
(rmdir top)
(show "cleaned" (file-exists? top))
