;;; (ice-9 hash-table): hash tables made from association lists (the first pair of a
;;; key wins, as in Guile).
(define-module (ice-9 hash-table)
  #:export (alist->hash-table alist->hashq-table alist->hashv-table alist->hashx-table))

(define (fill table ref set! alist)
  (for-each (lambda (pair)
              (unless (ref table (car pair) #f)
                (set! table (car pair) (cdr pair))))
            alist)
  table)

(define (alist->hash-table alist . size)
  (fill (make-hash-table) (lambda (t k d) (hash-get-handle t k)) hash-set! alist))
(define (alist->hashq-table alist . size)
  (fill (make-hash-table) (lambda (t k d) (hashq-get-handle t k)) hashq-set! alist))
(define (alist->hashv-table alist . size)
  (fill (make-hash-table) (lambda (t k d) (hashv-get-handle t k)) hashv-set! alist))
(define (alist->hashx-table hash assoc alist . size)
  (fill (make-hash-table)
        (lambda (t k d) (hashx-get-handle hash assoc t k))
        (lambda (t k v) (hashx-set! hash assoc t k v))
        alist))
