"""R7RS error-object accessors where a config uses them without importing (scheme base):
vsys offers them in (guile), answering with the message and irritants given to `error`.
(With (scheme base) imported they answer as Guile's do: corpus programs 231 and 232.)"""

from __future__ import annotations

import io

from vsys.dsl import api


def run(src: str, tmp_path) -> str:
    path = tmp_path / "prog.scm"
    path.write_text(src)
    out, err = io.StringIO(), io.StringIO()
    assert api.run_file(str(path), out, err) == 0, err.getvalue()
    return out.getvalue()


def test_core_error_gives_its_message_and_irritants(tmp_path):
    assert run("""
        (define (caught thunk) (guard (e (#t e)) (thunk)))
        (define e (caught (lambda () (error "bad thing" 1 2))))
        (write (list (error-object-message e) (error-object-irritants e)))
        (define e2 (caught (lambda () (error "no irritants"))))
        (write (list (error-object-message e2) (error-object-irritants e2)))
        (define e3 (caught (lambda () (car 1))))
        (write (error-object-irritants e3))
        (write (error-object-message
                (caught (lambda () (raise (make-exception-with-message "m"))))))
        (write (guard (e ((symbol? e) e)) (raise 'boom)))
        """, tmp_path) == '("bad thing" (1 2))("no irritants" #f)(1)"m"boom'
