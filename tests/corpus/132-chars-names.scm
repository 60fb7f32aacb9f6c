;; Named characters and their write forms.
(write (list #\alarm #\backspace #\delete #\escape #\newline #\null #\return #\space #\tab)) (newline)
(write (map char->integer (list #\alarm #\backspace #\delete #\escape #\linefeed #\nul #\return #\tab #\page #\vtab))) (newline)
(write (integer->char 0)) (newline)
(write (integer->char 160)) (newline)
(write (integer->char 955)) (newline)
(write #\x3bb) (newline)
