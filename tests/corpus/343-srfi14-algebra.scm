;; SRFI-14 char-sets as ranges: the algebra and its ! forms, cursors, folds, the
;; printed form, and the errors Guile gives (their key and who raised them; the misc
;; errors with their whole message).
(use-modules (srfi srfi-14))

(define (show . xs) (for-each display xs) (newline))
(define (err thunk)
  (catch #t thunk
    (lambda (key who . args)
      (write (if (eq? key 'misc-error) (cons* key who args) (list key who)))
      (newline))))

(define abc (->char-set "abc"))
(write (list abc (->char-set #\z) (->char-set abc) (char-set) (char-set #\b #\a #\d))) (newline)
(write (list (char-set-union (->char-set "ab") (->char-set "de") (->char-set "c"))
             (char-set-intersection (->char-set "abcd") (->char-set "bcde") (->char-set "cdef"))
             (char-set-difference (->char-set "abcdef") (->char-set "b") (->char-set "de"))
             (char-set-xor (->char-set "abc") (->char-set "bcd") (->char-set "dxy"))
             (char-set-union) (char-set-intersection) (char-set-xor)))
(newline)
(write (call-with-values
           (lambda () (char-set-diff+intersection (->char-set "abcd")))
         list))
(newline)
(write (char-set-complement (char-set #\a (integer->char #x10300))))
(newline)
(show (char-set-size (char-set-complement (char-set))) " "
      (char-set= (char-set-complement (char-set))
                 (ucs-range->char-set 0 #x110000)
                 char-set:full))

;; The ! forms change their first argument and return it.
(define m (char-set #\m))
(for-each
 (lambda (f) (write (eq? m (f))) (write m) (newline))
 (list (lambda () (char-set-adjoin! m #\n #\o #\q))
       (lambda () (char-set-delete! m #\n #\x))
       (lambda () (char-set-union! m (->char-set "xyz")))
       (lambda () (char-set-intersection! m (->char-set "mnoxy")))
       (lambda () (char-set-difference! m (->char-set "y")))
       (lambda () (char-set-xor! m (->char-set "xab")))
       (lambda () (list->char-set! '(#\1 #\2) m))
       (lambda () (string->char-set! "789" m))
       (lambda () (ucs-range->char-set! 65 70 #f m))
       (lambda () (char-set-filter! char-upper-case? (->char-set "aBcD") m))
       (lambda () (char-set-unfold! null? car cdr '(#\% #\&) m))
       (lambda () (char-set-complement! m))
       (lambda () (char-set-complement! m))))

(write (list (list->char-set '(#\c #\a) (->char-set "z"))
             (string->char-set "hello" (char-set #\!))
             (ucs-range->char-set 250 260 #t (char-set #\a))
             (ucs-range->char-set #xd7fe #xe002)
             (ucs-range->char-set 5 #x110001)
             (char-set-filter char-lower-case? (->char-set "aBcD"))
             (char-set-unfold (lambda (s) (> s 70)) integer->char (lambda (s) (+ s 2)) 65)
             (char-set-map char-upcase (->char-set "abc!"))))
(newline)

;; Walking a set.
(show (char-set-fold cons '() (->char-set "dcba")))
(show (char-set-fold (lambda (c n) (+ n (char->integer c))) 0 (->char-set "abc")))
(let ((acc '()))
  (char-set-for-each (lambda (c) (set! acc (cons c acc))) (->char-set "xyz"))
  (show acc))
(show (char-set->list (->char-set "hello")) " " (char-set->string (->char-set "hello")))
(show (char-set-count char-upper-case? (->char-set "aBcDE")) " "
      (char-set-any char-upper-case? (->char-set "aBc")) " "
      (char-set-any char-upper-case? (->char-set "abc")) " "
      (char-set-every char-lower-case? (->char-set "abc")) " "
      (char-set-every char-lower-case? (->char-set "aBc")) " "
      (char-set-every char-lower-case? (char-set)))
(let* ((cs (->char-set "acd"))
       (c0 (char-set-cursor cs)))
  (write c0)
  (let loop ((c c0) (out '()))
    (if (end-of-char-set? c)
        (begin (write (reverse out)) (write c) (newline))
        (let ((ch (char-set-ref cs c)))
          (loop (char-set-cursor-next cs c) (cons ch out)))))
  (let ((c1 (char-set-cursor cs)))
    (write (eq? c1 (char-set-cursor-next cs c1))))
  (write (char-set-cursor (char-set)))
  (newline))

;; Comparisons and the hash.
(show (list (char-set=) (char-set= abc) (char-set= abc (->char-set "cba") (string->char-set "abc"))
            (char-set= abc (char-set)) (char-set<=) (char-set<= (char-set) abc char-set:letter)
            (char-set<= abc (->char-set "ab"))))
(show (list (char-set-hash (char-set #\a #\b)) (char-set-hash char-set:full)
            (char-set-hash char-set:full 0) (char-set-hash char-set:letter)
            (char-set-hash (->char-set "hello world") 100) (char-set-hash (char-set) 31)))
(show (list (char-set-contains? abc #\b) (char-set-contains? abc #\z)
            (char-set? abc) (char-set? "abc") (eq? abc (char-set-copy abc))
            (char-set= abc (char-set-copy abc))))

(err (lambda () (char-set-adjoin! char-set:digit #\x)))
(err (lambda () (char-set-ref abc 1000)))
(err (lambda () (let ((c (char-set-cursor (char-set #\a)))) (char-set-cursor-next (char-set #\a) c)
                  (char-set-ref (char-set #\a) c))))
(err (lambda () (ucs-range->char-set #xd7fe #xe002 #t)))
(err (lambda () (ucs-range->char-set 10 5)))
(err (lambda () (char-set-size 3)))
(err (lambda () (char-set #\a 3)))
(err (lambda () (char-set-contains? abc 3)))
(err (lambda () (char-set-union abc 3)))
