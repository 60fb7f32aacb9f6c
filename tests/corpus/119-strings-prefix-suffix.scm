;; Prefix, suffix and containment tests.
(write (list (string-prefix? "foo" "foobar") (string-prefix? "bar" "foobar") (string-prefix? "" "x"))) (newline)
(write (list (string-suffix? "bar" "foobar") (string-suffix? "foo" "foobar"))) (newline)
(write (list (string-contains "hello world" "o w") (string-contains "hello" "z") (string-contains "aaa" ""))) (newline)
(write (list (string-index "hello" #\l) (string-index "hello" #\z) (string-rindex "hello" #\l))) (newline)
(write (string-index "a1b2" char-numeric?)) (newline)
(write (list (string-prefix-ci? "FOO" "foobar") (string-contains-ci "Hello" "LL"))) (newline)
