;; SRFI-19 times: clocks apart by the leap-second table, normalization, arithmetic,
;; comparisons and the errors of mixing clocks.
(use-modules (srfi srfi-19))

(define (show . xs) (for-each display xs) (newline))

(define (time->list t) (list (time-type t) (time-second t) (time-nanosecond t)))

;; Around the leap seconds of 1972, 1999, 2012 and 2017, and before the table.
(for-each
 (lambda (s)
   (let* ((utc (make-time time-utc 250 s))
          (tai (time-utc->time-tai utc))
          (mono (time-utc->time-monotonic utc)))
     (show s " tai " (time->list tai) " mono " (time->list mono)
           " back " (time->list (time-tai->time-utc tai))
           " " (time->list (time-monotonic->time-utc mono)))))
 '(0 63071999 63072000 915148799 915148800 1341100799 1341100800 1483228800 2000000000))

;; The TAI second just before a leap second and the leap second give one UTC second.
(for-each (lambda (s) (show s " -> " (time-second (time-tai->time-utc (make-time time-tai 0 s)))))
          '(1341100833 1341100834 1341100835 1341100836))

;; make-time normalizes as Guile's does, including its half-done case.
(for-each (lambda (args) (write (apply make-time args)) (newline))
          (list (list time-duration 1500000000 0)
                (list time-duration -1500000000 0)
                (list time-duration -5 3)
                (list time-duration 5 -3)
                (list time-utc -1500000000 5)
                (list time-duration 1000000000.5 0)))

(let* ((t1 (make-time time-utc 900000000 10))
       (t2 (make-time time-utc 200000000 12))
       (d (time-difference t2 t1)))
  (write d) (newline)
  (write (add-duration t1 d)) (newline)
  (write (subtract-duration t2 d)) (newline)
  (write (time-difference t1 t2)) (newline)
  (show (map (lambda (p) (p t1 t2)) (list time<? time<=? time=? time>=? time>?)))
  (show (map (lambda (p) (p t1 t1)) (list time<? time<=? time=? time>=? time>?)))
  ;; The ! forms change their first argument.
  (let ((c (copy-time t1)))
    (add-duration! c (make-time time-duration 100000000 1))
    (write c) (write t1) (newline)
    (time-difference! c t1)
    (write c) (newline)
    (set-time-type! c time-tai)
    (set-time-second! c 7)
    (set-time-nanosecond! c 8)
    (write c) (newline)))

(let ((m (make-time time-monotonic 0 1341100834)))
  (time-monotonic->time-tai! m)
  (write m) (newline)
  (time-tai->time-utc! m)
  (write m) (newline))

(define (err thunk)
  (catch #t thunk (lambda (key . args) (write (cons key args)) (newline))))
(err (lambda () (time<? (make-time time-utc 0 0) (make-time time-tai 0 0))))
(err (lambda () (time-difference (make-time time-utc 0 0) (make-time time-tai 0 0))))
(err (lambda () (add-duration (make-time time-utc 0 0) (make-time time-utc 0 1))))
(err (lambda () (time-tai->time-utc (make-time time-utc 0 0))))
(err (lambda () (current-time 'sundial)))
(err (lambda () (current-time time-thread)))
(err (lambda () (time-resolution 'sundial)))
(show (map time-resolution (list time-utc time-tai time-monotonic)))
(show (map (lambda (k) (time-type (current-time k)))
           (list time-utc time-tai time-monotonic time-process)))
(show (time-type (current-time)))
(show (<= 36 (- (time-second (current-time time-tai)) (time-second (current-time time-utc))) 38))
