;; format with the directives of Guile's core simple-format.
(write (format #f "Hello, ~a!" "world")) (newline)
(write (format #f "~s and ~a" "quoted" "plain")) (newline)
(write (format #f "list: ~a / ~s" '(1 "two" #\3) '(1 "two" #\3))) (newline)
(write (format #f "line~%next")) (newline)
(write (format #f "100~~")) (newline)
(write (format #f "no directives")) (newline)
(format #t "to stdout: ~a ~s~%" 'sym "str")
(write (format #f "~A ~S" 'upper "case")) (newline)
