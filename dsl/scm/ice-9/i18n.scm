;;; (ice-9 i18n), for the C locale only: vsys formats numbers, compares strings and
;;; changes case the locale-independent way, so the only locale it can make is "C"
;;; (or "POSIX"); %global-locale is that locale.
(define-module (ice-9 i18n)
  #:use-module (srfi srfi-9)
  #:use-module ((scheme char) #:select ((string-upcase . full-upcase)
                                        (string-downcase . full-downcase)))
  #:export (make-locale locale? %global-locale locale-name
            string-locale<? string-locale>? string-locale-ci<? string-locale-ci>?
            string-locale-ci=? char-locale<? char-locale>? char-locale-ci<?
            char-locale-ci>? char-locale-ci=? char-locale-downcase char-locale-upcase
            string-locale-downcase string-locale-upcase locale-decimal-point
            locale-thousands-separator number->locale-string))

(define-record-type <locale>
  (%make-locale name)
  locale?
  (name locale-name))

(define %global-locale (%make-locale "C"))

(define* (make-locale category-list locale-name #:optional base-locale)
  (if (member locale-name '("C" "POSIX"))
      (%make-locale locale-name)
      (scm-error 'system-error "make-locale"
                 "Invalid argument: only the C locale is available in vsys: ~S"
                 (list locale-name) (list 22))))

(define* (string-locale<? a b #:optional locale) (string<? a b))
(define* (string-locale>? a b #:optional locale) (string>? a b))
(define* (string-locale-ci<? a b #:optional locale) (string-ci<? a b))
(define* (string-locale-ci>? a b #:optional locale) (string-ci>? a b))
(define* (string-locale-ci=? a b #:optional locale) (string-ci=? a b))
(define* (char-locale<? a b #:optional locale) (char<? a b))
(define* (char-locale>? a b #:optional locale) (char>? a b))
(define* (char-locale-ci<? a b #:optional locale) (char-ci<? a b))
(define* (char-locale-ci>? a b #:optional locale) (char-ci>? a b))
(define* (char-locale-ci=? a b #:optional locale) (char-ci=? a b))
(define* (char-locale-downcase c #:optional locale) (char-downcase c))
(define* (char-locale-upcase c #:optional locale) (char-upcase c))
;; Strings change case with the full Unicode mappings ("ß" -> "SS"), characters with
;; the one-to-one ones.
(define* (string-locale-downcase s #:optional locale) (full-downcase s))
(define* (string-locale-upcase s #:optional locale) (full-upcase s))
(define* (locale-decimal-point #:optional locale) ".")
(define* (locale-thousands-separator #:optional locale) "")

;; (number->locale-string N [FRACTION-DIGITS [LOCALE]]): N in the C locale (no digit
;; grouping), with FRACTION-DIGITS digits after the point when given.
(define* (number->locale-string n #:optional (fraction-digits #t) locale)
  (if (integer? fraction-digits)
      (format #f (string-append "~," (number->string fraction-digits) "f") n)
      (number->string n)))
