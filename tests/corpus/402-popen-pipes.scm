;; (ice-9 popen): reading a command's output, writing its input, both at once, the
;; exit status close-pipe returns, pipelines, and children given the current ports.
(use-modules (ice-9 popen) (ice-9 rdelim) (ice-9 receive) (srfi srfi-1))

(define (show label x) (display label) (display ": ") (write x) (newline))

(define p (open-input-pipe "echo hello; echo world"))
(show "lines" (list (read-line p) (read-line p) (eof-object? (read-line p))))
(show "status" (status:exit-val (close-pipe p)))

(show "exit 3" (status:exit-val (close-pipe (open-output-pipe "exit 3"))))
(show "killed" (status:term-sig (close-pipe (open-input-pipe "kill -9 $$"))))
(show "not found" (status:exit-val (close-pipe (open-pipe* OPEN_READ "no-such-program-here"))))

;; OPEN_WRITE: the child reads what the port writes; its output goes to a file here.
(define out-file (string-append "/tmp/popen-corpus-" (number->string (getpid))))
(define w (open-output-pipe (string-append "tr a-z A-Z > " out-file)))
(display "shouting\n" w)
(show "writer" (status:exit-val (close-pipe w)))
(show "written" (call-with-input-file out-file read-line))
(delete-file out-file)

;; OPEN_BOTH: a line out, a line back.
(define both (open-pipe* OPEN_BOTH "sed" "-u" "s/^/> /"))
(display "one\n" both)
(force-output both)
(show "echoed" (read-line both))
(display "two\n" both)
(force-output both)
(show "echoed" (read-line both))
(show "both closed" (status:exit-val (close-pipe both)))

(show "input/output ports" (let* ((q (open-input-output-pipe "cat"))
                                  (answer (list (input-port? q) (output-port? q))))
                             (close-pipe q)
                             answer))

;; The child's standard input is the current input port when that is a file port.
(define p2c (pipe))
(define reader (with-input-from-port (car p2c)
                 (lambda () (open-input-pipe "read line && echo got $line"))))
(display "ping\n" (cdr p2c))
(force-output (cdr p2c))
(show "from stdin" (read-line reader))
(close-port (cdr p2c))
(close-pipe reader)

;; A string port as the current output: the child's output goes nowhere.
(show "to a string port"
      (with-output-to-string
        (lambda () (close-pipe (open-output-pipe "echo lost")))))

(receive (from to pids)
    (pipeline '(("printf" "b\\na\\nc\\n") ("sort") ("tr" "a-z" "A-Z")))
  (show "pipeline" (list (read-string from)
                         (map (lambda (pid) (status:exit-val (cdr (waitpid pid)))) pids))))

(show "system*" (status:exit-val (system* "sh" "-c" "exit 4")))
(show "system" (status:exit-val (system "true")))
