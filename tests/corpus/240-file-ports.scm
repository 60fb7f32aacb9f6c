;; File ports: call-with-output-file, with-output-to-file, open-input-file... and a
;; missing file as a system-error.
(use-modules (ice-9 rdelim))
(call-with-output-file "/tmp/vsys-corpus-240-file-ports.txt" (lambda (p) (display "héllo\nworld\n" p)))
(display (call-with-input-file "/tmp/vsys-corpus-240-file-ports.txt" read-line)) (newline)
(with-output-to-file "/tmp/vsys-corpus-240-file-ports.txt" (lambda () (write '(a "b"))))
(display (with-input-from-file "/tmp/vsys-corpus-240-file-ports.txt" read)) (newline)
(let ((p (open-input-file "/tmp/vsys-corpus-240-file-ports.txt"))) (display (read-char p)) (close-port p)) (newline)
(display (catch 'system-error (lambda () (open-input-file "/nonexistent/x")) (lambda (k . a) k)))
(newline)
