;; Guardians hand back the objects nothing else refers to any more, once each.
(define g (make-guardian))
(display (g)) (newline)                       ; nothing guarded: #f
(g (list 'a 'b))                              ; dropped at once
(define kept (vector 1 2 3))
(g kept)                                      ; still referred to by `kept`
(let loop ((i 1000)) (when (> i 0) (cons i i) (loop (- i 1))))
(gc)
(write (g)) (newline)                         ; the list comes back
(write (g)) (newline)                         ; and only once: #f
(set! kept #f)
(gc)
(write (g)) (newline)                         ; now the vector
(define f (make-guardian))
(f (make-fluid 'x))
(gc)
(let ((back (f)))
  (write (list (fluid? back) (fluid-ref back))) (newline))
