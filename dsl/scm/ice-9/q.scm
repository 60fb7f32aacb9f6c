;;; (ice-9 q): first-in first-out queues.
;;; A queue is a pair: its car the list of elements, front first, its cdr the last pair
;;; of that list (or #f when the queue is empty), so both ends are reached at once.
(define-module (ice-9 q)
  #:export (sync-q! make-q q? q-empty? q-empty-check q-front q-rear q-remove!
            q-push! enq! q-pop! deq! q-length))

(define (sync-q! q)
  (set-cdr! q (if (pair? (car q)) (last-pair (car q)) #f))
  q)

(define (make-q) (cons '() #f))

(define (q? obj)
  (and (pair? obj)
       (if (pair? (car obj))
           (and (pair? (cdr obj)) (eq? (last-pair (car obj)) (cdr obj)))
           (and (null? (car obj)) (not (cdr obj))))))

(define (q-empty? q) (null? (car q)))

(define (q-empty-check q)
  (if (q-empty? q) (throw 'q-empty q)))

(define (q-front q) (q-empty-check q) (caar q))

(define (q-rear q) (q-empty-check q) (cadr q))

(define (q-remove! q obj)
  (set-car! q (delq! obj (car q)))
  (sync-q! q))

(define (q-push! q obj)
  (let ((cell (cons obj (car q))))
    (if (null? (car q)) (set-cdr! q cell))
    (set-car! q cell))
  q)

(define (enq! q obj)
  (let ((cell (list obj)))
    (if (null? (car q))
        (set-car! q cell)
        (set-cdr! (cdr q) cell))
    (set-cdr! q cell))
  q)

(define (q-pop! q)
  (q-empty-check q)
  (let ((first (caar q)))
    (set-car! q (cdar q))
    (if (null? (car q)) (set-cdr! q #f))
    first))

(define deq! q-pop!)

(define (q-length q) (length (car q)))
