;; (exit) with no argument, and (exit #t), end the program successfully.
(display "done early") (newline)
(exit)
(display "never printed") (newline)
