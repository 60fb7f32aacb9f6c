;; SRFI-19 julian days: conversions both ways, with time zones, negative years and
;; fractions of a day.
(use-modules (srfi srfi-19))

(define (show . xs) (for-each display xs) (newline))

(for-each
 (lambda (jd)
   (show jd " " (date->string (julian-day->date jd 0) "~4 ~A ~j ~U ~V ~W ~w")
         " mjd " (date->string (modified-julian-day->date (- jd 4800001/2) 3600) "~5~z")))
 '(0 1/10 1721059 1721060 1721425 2299160 4881175/2 4903089/2 2456109.75 5373484 5373485))

(for-each
 (lambda (d)
   (show (date->julian-day d) " " (date->modified-julian-day d)
         " " (time-second (date->time-utc d))))
 (list (make-date 0 0 0 0 1 1 1970 0)
       (make-date 0 0 0 12 1 1 2000 0)
       (make-date 500000000 30 15 6 29 2 2024 -18000)
       (make-date 0 0 0 0 1 1 1 0)
       (make-date 0 0 0 0 31 12 -1 0)))

(let ((t (make-time time-utc 250000000 1341100800)))
  (show (time-utc->julian-day t) " " (time-utc->modified-julian-day t))
  (show (time-tai->julian-day (time-utc->time-tai t))
        " " (time-monotonic->modified-julian-day (time-utc->time-monotonic t))))

(for-each
 (lambda (jd)
   (write (julian-day->time-utc jd)) (newline)
   (write (julian-day->time-tai jd)) (newline)
   (write (modified-julian-day->time-monotonic (- jd 4800001/2))) (newline))
 '(4881175/2 2456109 24561091/10))

(write (modified-julian-day->time-utc 56109)) (newline)
(write (modified-julian-day->time-tai 56109)) (newline)

;; A julian day and its date in another zone come back to the same instant.
(let ((d (make-date 0 10 20 3 4 5 2006 -14400)))
  (show (time=? (date->time-utc (julian-day->date (date->julian-day d) 7200))
                (date->time-utc d))))

;; The seconds around the 2012 leap second, as dates in a zone east of UTC.
(for-each
 (lambda (s)
   (show s " " (date->string (time-tai->date (make-time time-tai 0 s) 3600) "~4")
         " " (date->string (time-monotonic->date (make-time time-monotonic 0 s) -3600) "~4")
         " " (time-second (date->time-tai (time-tai->date (make-time time-tai 0 s) 0)))))
 '(1341100833 1341100834 1341100835 1341100836))

(show (map (lambda (d) (date-week-number d 0))
           (list (make-date 0 0 0 0 1 1 1984 0) (make-date 0 0 0 0 8 1 1984 0)
                 (make-date 0 0 0 0 31 12 1984 0))))
(show (map (lambda (d) (list (date-year-day d) (date-week-day d)))
           (list (make-date 0 0 0 0 1 3 2000 0) (make-date 0 0 0 0 1 3 1900 0)
                 (make-date 0 0 0 0 31 12 2024 0))))
