;; regexp-quote writes Guile's quoting (brackets for the characters that are special only
;; in extended syntax), and 'post in regexp-substitute/global stands for the rest of the
;; string, so items after it come after all later matches.
(use-modules (ice-9 regex))

(for-each (lambda (s)
            (let ((q (regexp-quote s)))
              (write (list s q
                           (match:substring (regexp-exec (make-regexp q) s))
                           (match:substring (regexp-exec (make-regexp q regexp/basic) s))))
              (newline)))
          '("a(b)c" "1+1?" "x{2}|y" "[a]" "^s$" "a.b*c" "back\\slash" "-]"))

(define (end1 m) (number->string (match:end m 1)))
(write (regexp-substitute/global #f "a(x*)b" "_axxbaxxxxbaxxxxxxxb_"
                                 end1 ":" 'post ":" end1))
(newline)
(write (regexp-substitute/global #f "a(x*)b" "_axxbaxbaxxxb_" end1 ":" 'post))
(newline)
(write (regexp-substitute/global #f "x" "axbxc" 'pre "[" 0 "]" 'post))
(newline)
(write (regexp-substitute/global #f "x" "axbxc" 'pre "<" 0 ">"))
(newline)
(write (regexp-substitute/global #f "z" "no match here" 'pre "!" 'post))
(newline)
(write (regexp-substitute/global #f "_" (make-string 2000 #\_) 'post))
(newline)
(call-with-output-string
  (lambda (port)
    (regexp-substitute/global port "o" "foo boo" 'pre "0" 'post)
    (display "done" port)))
(display (call-with-output-string
          (lambda (port) (regexp-substitute/global port "o" "foo boo" 'pre "0" 'post))))
(newline)
