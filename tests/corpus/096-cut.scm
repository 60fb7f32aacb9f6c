;; cut from SRFI-26.
(use-modules (srfi srfi-26))
(write (map (cut * 2 <>) '(1 2 3))) (newline)
(write (map (cut list 'a <> 'c <>) '(1 2) '(3 4))) (newline)
(write ((cut + <> <>) 3 4)) (newline)
(write ((cut list 1 <...>) 2 3 4)) (newline)
(write ((cut list <> <...>) 'x)) (newline)
(write (filter (cut > <> 2) '(1 2 3 4))) (newline)
(write ((cut string-append "pre-" <> "-post") "mid")) (newline)
