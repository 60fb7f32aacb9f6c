;; hash-create-handle! and hash-get-handle.
(define h (make-hash-table 16))
(write (hash-get-handle h 'k)) (newline)
(write (hash-create-handle! h 'k 'init)) (newline)
(write (hash-create-handle! h 'k 'again)) (newline)
(write (hash-get-handle h 'k)) (newline)
(hash-clear! h)
(write (hash-ref h 'k)) (newline)
