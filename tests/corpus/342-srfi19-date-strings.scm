;; SRFI-19 date->string directives (with the ~- and ~_ padding forms) and string->date.
(use-modules (srfi srfi-19))

(define (show . xs) (for-each display xs) (newline))
(define (err thunk)
  (catch #t thunk (lambda (key . args) (write (cons key args)) (newline))))

(define dates
  (list (make-date 0 0 0 0 1 1 2020 0)
        (make-date 7 5 4 3 2 1 2021 3600)
        (make-date 550000 56 34 12 26 3 2017 -16200)
        (make-date 200000000 59 59 23 31 12 1999 19800)
        (make-date 99999999 60 59 23 31 12 2016 0)
        (make-date 0 9 8 13 5 11 87 -36000)))

(define directives
  '("~~" "~a" "~A" "~b" "~B" "~c" "~d" "~D" "~e" "~f" "~h" "~H" "~I" "~j" "~k" "~l" "~m"
    "~M" "~N" "~p" "~r" "~s" "~S" "~T" "~U" "~V" "~w" "~W" "~x" "~X" "~y" "~Y" "~z" "~Z"
    "~1" "~2" "~3" "~4" "~5" "~-H" "~_H" "~-N" "~_j" "~-Y" "~_y" "~_m" "~-d" "~-e"))

(for-each
 (lambda (d)
   (write (date->string d)) (newline)
   (for-each (lambda (f) (write (list f (date->string d f)))) directives)
   (newline)
   (write (date->string d "~n~t|literal text, 100%|")) (newline))
 dates)

(err (lambda () (date->string (car dates) "~Q")))
(err (lambda () (date->string (car dates) "trailing ~")))
(err (lambda () (date->string (car dates) "~-")))
(err (lambda () (date->string (car dates) "~_!")))

(define (parse str fmt)
  (let ((d (string->date str fmt)))
    (write (list str (date-year d) (date-month d) (date-day d) (date-hour d)
                 (date-minute d) (date-second d) (date-nanosecond d) (date-zone-offset d)))
    (newline)))

(parse "2001-06-01@14:00 +0200" "~Y-~m-~d@~H:~M ~z")
(parse "Sun, 05 Jun 2005 18:33:00 -0730" "~a, ~d ~b ~Y ~H:~M:~S ~z")
(parse "Saturday, December 9, 2006 Z" "~A, ~B ~d, ~Y ~z")
(parse "2018-12-10 10:53:24.189Z" "~Y-~m-~d ~H:~M:~S.~N~z")
(parse "2018-12-10 10:53:24.189654321z" "~Y-~m-~d ~H:~M:~S.~N~z")
(parse " 7 Feb  2022  9h +0000" "~e ~h ~Y ~kh ~z")
(parse "date: 1999/12/31 ~ 23:59:60+0100" "date: ~Y/~m/~d ~~ ~H:~M:~S~z")
(parse "xx2024yy03zz07 +0000" "~Y~m~d ~z")
(show (date->string (string->date "2005-06-05T18:33:00+0200" "~Y-~m-~dT~H:~M:~S~z")))

(err (lambda () (string->date "2001-06-01" "~Y-~m-~d@~H")))
(err (lambda () (string->date "2001-06-01" "~Y/~m/~d")))
(err (lambda () (string->date "Sonday 2001" "~A ~Y")))
(err (lambda () (string->date "2001 +01x0" "~Y ~z")))
(err (lambda () (string->date "2001 +01" "~Y ~z")))
(err (lambda () (string->date "2001" "~Y ~Q")))
(err (lambda () (string->date "1-2-2001 +0000" "~e-~m-~Y ~z")))

;; Without a zone in the input the local zone at that date is taken.
(define old-tz (getenv "TZ"))
(putenv "TZ=EST5EDT")
(show (date-zone-offset (string->date "2001-06-01@08:00" "~Y-~m-~d@~H:~M"))
      " " (date-zone-offset (string->date "2001-01-01@08:00" "~Y-~m-~d@~H:~M")))
(show (date-zone-offset (time-utc->date (make-time time-utc 0 991396800)))
      " " (date-zone-offset (julian-day->date 2451910))
      " " (date-zone-offset (modified-julian-day->date 51910))
      " " (date-zone-offset (time-tai->date (make-time time-tai 0 991396832)))
      " " (date-zone-offset (time-monotonic->date (make-time time-monotonic 0 991396832))))
(putenv "TZ=UTC0")
(show (date-zone-offset (time-utc->date (make-time time-utc 0 991396800))))
(putenv (if old-tz (string-append "TZ=" old-tz) "TZ"))
