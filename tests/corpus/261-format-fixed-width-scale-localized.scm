;; (ice-9 format) ~f with a width and no digit count, numeric strings, the scale
;; parameter; ~h (localized numbers, C locale) and (ice-9 i18n)'s C locale.
(use-modules (ice-9 format) (ice-9 i18n))
(for-each (lambda (spec) (write (apply format #f spec)) (newline))
          '(("~2f" 9.9) ("~2,1f" 9.9) ("~5f" 3.14159) ("~8f" 3.14159) ("~f" "02.5")
            ("~,,3f" "0.00123") ("~,,1f" "0.00123") ("~,2,2f" 1.5) ("~3f" -1.25)
            ("~h" 1234.5) ("~6h" 123.2) ("~8,,'*h" 123.2) ("~,2h" 123.4567)))
(write (format #f "~,3:h, ~a" 1234.5678 %global-locale "approximately"))
(newline)
(write (list (locale? %global-locale) (number->locale-string 1234.5 2)
             (string-locale<? "a" "b") (locale-decimal-point)))
(newline)
