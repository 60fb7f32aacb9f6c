;;; (ice-9 popen): ports to and from child processes, as Guile's module.
;;;
;;; open-pipe runs a shell command, open-pipe* a program with its arguments; the port
;;; reads the child's output (OPEN_READ), writes its input (OPEN_WRITE) or both
;;; (OPEN_BOTH).  close-pipe closes the port, waits for the child and returns its
;;; status.  pipeline chains programs, each one's output the next one's input.
;;; The processes themselves are made by the (vsys popen) primitives.
(define-module (ice-9 popen)
  #:use-module (vsys popen)
  #:export (port/pid-table open-pipe* open-pipe close-pipe open-input-pipe
            open-output-pipe open-input-output-pipe pipeline))

;; Guile keeps it for old programs and no longer fills it; nor does vsys (an entry
;; would keep a dropped pipe's port, and so its child, from being collected).
(define port/pid-table (make-weak-key-hash-table))

(define (open-pipe* mode command . args)
  (%open-pipe mode (cons command args)))

(define (open-pipe command mode)
  (open-pipe* mode "/bin/sh" "-c" command))

(define (open-input-pipe command) (open-pipe command OPEN_READ))
(define (open-output-pipe command) (open-pipe command OPEN_WRITE))
(define (open-input-output-pipe command) (open-pipe command OPEN_BOTH))

(define (descriptors ports)
  (cons (port->fdes (car ports)) (port->fdes (cdr ports))))

;; (values FROM TO PID): a port reading the program's output (for OPEN_READ and
;; OPEN_BOTH, else #f), a port writing its input (OPEN_WRITE, OPEN_BOTH), its pid.
(define (open-process mode command . args)
  (let* ((from (and (member mode (list OPEN_READ OPEN_BOTH)) (pipe)))
         (to (and (member mode (list OPEN_WRITE OPEN_BOTH)) (pipe)))
         (pid (piped-process command args
                             (and from (descriptors from))
                             (and to (descriptors to)))))
    (values (and from (car from)) (and to (cdr to)) pid)))

;; (values FROM TO PIDS) for COMMANDS, lists of a program and its arguments: FROM
;; reads the last one's output, TO writes the first one's input, PIDS last first.
(define (pipeline commands)
  (let ((head (descriptors (pipe))))
    (let chain ((commands commands) (input head) (pids '()))
      (if (null? commands)
          (values (fdes->inport (car input)) (fdes->outport (cdr head)) pids)
          (let* ((output (descriptors (pipe)))
                 (pid (piped-process (caar commands) (cdar commands) output input)))
            (chain (cdr commands) output (cons pid pids)))))))
