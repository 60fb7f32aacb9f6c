;; Guile's standard char-sets over all of Unicode: their sizes, ranges, hashes, how
;; they relate, and the character predicates that are membership in them.
(use-modules (srfi srfi-14))

(define (show . xs) (for-each display xs) (newline))

(define sets
  `((lower-case . ,char-set:lower-case) (upper-case . ,char-set:upper-case)
    (title-case . ,char-set:title-case) (letter . ,char-set:letter)
    (digit . ,char-set:digit) (letter+digit . ,char-set:letter+digit)
    (graphic . ,char-set:graphic) (printing . ,char-set:printing)
    (whitespace . ,char-set:whitespace) (iso-control . ,char-set:iso-control)
    (punctuation . ,char-set:punctuation) (symbol . ,char-set:symbol)
    (hex-digit . ,char-set:hex-digit) (blank . ,char-set:blank)
    (ascii . ,char-set:ascii) (empty . ,char-set:empty) (full . ,char-set:full)
    (designated . ,char-set:designated)))

(define (ranges cs)
  (let loop ((cur (char-set-cursor cs)) (n 0) (prev -2))
    (if (end-of-char-set? cur)
        n
        (let ((c (char->integer (char-set-ref cs cur))))
          (loop (char-set-cursor-next cs cur) (if (= c (+ prev 1)) n (+ n 1)) c)))))

(for-each
 (lambda (p)
   (let ((cs (cdr p)))
     (show (car p) " size " (char-set-size cs)
           " hash " (char-set-hash cs) " " (char-set-hash cs 1000003))))
 sets)
(show (map (lambda (cs) (ranges cs))
           (list char-set:lower-case char-set:upper-case char-set:title-case
                 char-set:digit char-set:whitespace char-set:iso-control
                 char-set:punctuation char-set:hex-digit char-set:blank char-set:ascii)))
(show (map (lambda (cs) (char-set-size (char-set-complement cs)))
           (list char-set:letter char-set:digit char-set:ascii char-set:empty)))

(write char-set:whitespace) (newline)
(write char-set:blank) (newline)
(write char-set:iso-control) (newline)
(write char-set:title-case) (newline)
(write char-set:hex-digit) (newline)

(show (char-set= char-set:letter+digit (char-set-union char-set:letter char-set:digit)))
(show (char-set= char-set:printing (char-set-union char-set:graphic char-set:whitespace)))
(show (char-set<= char-set:lower-case char-set:letter) " "
      (char-set<= char-set:upper-case char-set:letter) " "
      (char-set<= char-set:graphic char-set:designated char-set:full))
(show (char-set-size (char-set-intersection char-set:letter char-set:upper-case
                                            (char-set-complement char-set:ascii))))
(show (char-set-size (char-set-xor char-set:letter char-set:lower-case char-set:digit)))

;; The predicates agree with the sets, also where Unicode's properties would not.
(define probes
  (map integer->char
       '(#x41 #x61 #x30 #x20 #x9 #x1c #x85 #xa0 #xaa #xb2 #xdf #x138 #x18d #x1c5 #x2160
         #x2170 #x24b6 #x2c00 #x2c30 #x1d2c #x1680 #x180e #x2028 #x3000 #x3007 #x10400
         #x1d7ce #x1e900 #x1f600)))
(for-each
 (lambda (c)
   (show (char->integer c) " "
         (map (lambda (p) (if (p c) 1 0))
              (list char-alphabetic? char-numeric? char-whitespace? char-upper-case?
                    char-lower-case? char-is-both?))
         " "
         (map (lambda (p) (if (char-set-contains? (cdr p) c) 1 0)) sets)))
 probes)
