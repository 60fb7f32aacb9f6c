;; Looking up values in nested association lists.
(define config
  '((network . ((bridge . "br0") (dhcp . #t)))
    (vms . (((name . "a") (memory . 512))
            ((name . "b") (memory . 2048))))))
(define (get-in alist . keys)
  (if (null? keys) alist (apply get-in (assq-ref alist (car keys)) (cdr keys))))
(write (get-in config 'network 'bridge)) (newline)
(write (map (lambda (vm) (assq-ref vm 'name)) (assq-ref config 'vms))) (newline)
(write (apply + (map (lambda (vm) (assq-ref vm 'memory)) (assq-ref config 'vms)))) (newline)
(write (assoc-ref config 'missing)) (newline)
