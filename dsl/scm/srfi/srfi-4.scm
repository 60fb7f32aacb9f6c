;;; (srfi srfi-4): homogeneous numeric vectors.  As in Guile, each is a bytevector, so
;;; every bytevector procedure takes it; unlike Guile's, it does not remember its element
;;; type: it prints as #vu8(...), and a TAGvector? predicate accepts any bytevector whose
;;; length is a whole number of TAG elements.
(define-module (srfi srfi-4)
  #:use-module (rnrs bytevectors)
  #:export (u8vector? make-u8vector u8vector u8vector-length u8vector-ref u8vector-set!
            u8vector->list list->u8vector
            s8vector? make-s8vector s8vector s8vector-length s8vector-ref s8vector-set!
            s8vector->list list->s8vector
            u16vector? make-u16vector u16vector u16vector-length u16vector-ref u16vector-set!
            u16vector->list list->u16vector
            s16vector? make-s16vector s16vector s16vector-length s16vector-ref s16vector-set!
            s16vector->list list->s16vector
            u32vector? make-u32vector u32vector u32vector-length u32vector-ref u32vector-set!
            u32vector->list list->u32vector
            s32vector? make-s32vector s32vector s32vector-length s32vector-ref s32vector-set!
            s32vector->list list->s32vector
            u64vector? make-u64vector u64vector u64vector-length u64vector-ref u64vector-set!
            u64vector->list list->u64vector
            s64vector? make-s64vector s64vector s64vector-length s64vector-ref s64vector-set!
            s64vector->list list->s64vector
            f32vector? make-f32vector f32vector f32vector-length f32vector-ref f32vector-set!
            f32vector->list list->f32vector
            f64vector? make-f64vector f64vector f64vector-length f64vector-ref f64vector-set!
            f64vector->list list->f64vector))

;; One family: SIZE bytes an element, read and written in the host's byte order.
(define-syntax define-uniform
  (syntax-rules ()
    ((_ size ref set pred make ctor len get put to-list from-list)
     (begin
       (define (pred obj) (and (bytevector? obj) (zero? (remainder (bytevector-length obj) size))))
       (define* (make n #:optional (fill 0))
         (let ((bv (make-bytevector (* n size))))
           (let loop ((i 0)) (when (< i n) (set bv (* i size) fill) (loop (+ i 1))))
           bv))
       (define (len bv) (quotient (bytevector-length bv) size))
       (define (get bv i) (ref bv (* i size)))
       (define (put bv i value) (set bv (* i size) value))
       (define (to-list bv) (map (lambda (i) (get bv i)) (iota (len bv))))
       (define (from-list lst)
         (let ((bv (make (length lst))))
           (let loop ((i 0) (lst lst))
             (if (pair? lst) (begin (put bv i (car lst)) (loop (+ i 1) (cdr lst)))))
           bv))
       (define (ctor . items) (from-list items))))))

(define (u8-ref bv i) (bytevector-u8-ref bv i))
(define (u8-set bv i v) (bytevector-u8-set! bv i v))
(define (s8-ref bv i) (bytevector-s8-ref bv i))
(define (s8-set bv i v) (bytevector-s8-set! bv i v))

(define-uniform 1 u8-ref u8-set u8vector? make-u8vector u8vector u8vector-length
  u8vector-ref u8vector-set! u8vector->list list->u8vector)
(define-uniform 1 s8-ref s8-set s8vector? make-s8vector s8vector s8vector-length
  s8vector-ref s8vector-set! s8vector->list list->s8vector)
(define-uniform 2 bytevector-u16-native-ref bytevector-u16-native-set! u16vector?
  make-u16vector u16vector u16vector-length u16vector-ref u16vector-set! u16vector->list
  list->u16vector)
(define-uniform 2 bytevector-s16-native-ref bytevector-s16-native-set! s16vector?
  make-s16vector s16vector s16vector-length s16vector-ref s16vector-set! s16vector->list
  list->s16vector)
(define-uniform 4 bytevector-u32-native-ref bytevector-u32-native-set! u32vector?
  make-u32vector u32vector u32vector-length u32vector-ref u32vector-set! u32vector->list
  list->u32vector)
(define-uniform 4 bytevector-s32-native-ref bytevector-s32-native-set! s32vector?
  make-s32vector s32vector s32vector-length s32vector-ref s32vector-set! s32vector->list
  list->s32vector)
(define-uniform 8 bytevector-u64-native-ref bytevector-u64-native-set! u64vector?
  make-u64vector u64vector u64vector-length u64vector-ref u64vector-set! u64vector->list
  list->u64vector)
(define-uniform 8 bytevector-s64-native-ref bytevector-s64-native-set! s64vector?
  make-s64vector s64vector s64vector-length s64vector-ref s64vector-set! s64vector->list
  list->s64vector)
(define-uniform 4 bytevector-ieee-single-native-ref bytevector-ieee-single-native-set!
  f32vector? make-f32vector f32vector f32vector-length f32vector-ref f32vector-set!
  f32vector->list list->f32vector)
(define-uniform 8 bytevector-ieee-double-native-ref bytevector-ieee-double-native-set!
  f64vector? make-f64vector f64vector f64vector-length f64vector-ref f64vector-set!
  f64vector->list list->f64vector)
