;; Characters: write and display forms.
(for-each (lambda (c) (write c) (display " ") (display c) (display "|") (newline))
  (list #\a #\Z #\0 #\space #\newline #\tab #\nul #\x41 #\( #\; #\" #\\ #\λ))
