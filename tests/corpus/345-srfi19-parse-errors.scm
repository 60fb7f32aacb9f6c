;; string->date on input that does not fit its template: the error keys and who raised
;; them, as a program's catch sees them in Guile.
(use-modules (srfi srfi-19))

(define (try str fmt)
  (write (catch #t
           (lambda ()
             (let ((d (string->date str fmt)))
               (list (date-year d) (date-month d) (date-day d) (date-hour d)
                     (date-minute d) (date-second d) (date-nanosecond d)
                     (date-zone-offset d))))
           (lambda (key who . rest) (list key who))))
  (newline))

(try "2020-01-02 Z" "~Y-~m-~d ~z")
(try "Monday 2020 01 02 Z" "~A ~Y ~m ~d ~z")
(try "2020 01 02 Z Monday" "~Y ~m ~d ~z ~A")        ; a name at the very end
(try "2020 Jan 02 +0100" "~Y ~b ~d ~z")
(try "2020 01 02 +0100 Jan" "~Y ~m ~d ~z ~b")
(try "2020 01 +0100" "~Y ~m ~z")                    ; no day, zone read
(try "01 02 +0100" "~m ~d ~z")                      ; no year, zone read
(try "2020 01" "~Y ~d")                             ; no month, no zone
(try "2020 01" "~Y ~m")                             ; no day, no zone
(try "01 02" "~m ~d")                               ; no year, no zone
(try "2020-01-02" "~Y-~m-~d~")                      ; a lone ~ ends the template
(try "2020-01-02" "~Y-~m-~d ~Q")
(try "2020-01-02" "~Y/~m/~d")
(try "2020-01-02 +01" "~Y-~m-~d ~z")
(try "2020-01-02 1200" "~Y-~m-~d ~z")
(try "2020-01-02 Sonday" "~Y-~m-~d ~A ")
(try "20-01-02 +0000" "~y-~m-~d ~z")
(try " 2-01-2020 +0000" "~e-~m-~Y ~z")
(try "x2-01-2020 +0000" "~e-~m-~Y ~z")
(try "2020-01-02 3:4:5.6789 -0330" "~Y-~m-~d ~H:~M:~S.~N ~z")
(try "2020-01-02 13 +0000" "~Y-~m-~d ~k ~z")
(try "2020-01-02 ~ +0000" "~Y-~m-~d ~~ ~z")
(try "2020-01-02 x +0000" "~Y-~m-~d ~~ ~z")
