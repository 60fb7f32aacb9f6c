;; Bitwise operations.
(write (list (logand 12 10) (logior 12 10) (logxor 12 10) (lognot 0))) (newline)
(write (list (ash 1 10) (ash 1024 -3) (ash -8 -1))) (newline)
(write (list (logbit? 2 4) (logbit? 1 4) (logcount 255) (integer-length 255))) (newline)
