"""G-expressions: reading #~ #$ #$@ #+, lowering with a resolver, the Python helpers."""

from __future__ import annotations

from core_helpers import error_of, ev

from vsys.dsl.datatypes import Symbol, from_list, to_list
from vsys.dsl.printer import write_string
from vsys.stdlib.files import FileAppend, PlainFile, file_append, plain_file, resolver
from vsys.stdlib.gexp import Gexp, Output, Ungexp, gexp, gexp_inputs, lower
from vsys.stdlib.mcron import mcron_job, mcron_service_type
from vsys.stdlib.packages import Package, lookup_package
from vsys.stdlib.services import fold_services
from vsys.stdlib.shepherd import check_shepherd_conflicts, forkexec, kill_destructor


def fake(obj):
    """A resolver that names what it was given, so lowering is easy to check."""
    if isinstance(obj, FileAppend):
        return f"<{fake(obj.base)}{obj.suffix}>"
    if isinstance(obj, Package):
        return f"/pkg/{obj.name}" + ("" if obj.output == "out" else f":{obj.output}")
    if isinstance(obj, Output):
        return f"/out/{obj.name}"
    return f"/store/{obj.name}"


def lowered(g: Gexp) -> str:
    return write_string(lower(g, fake))


def test_reader_forms_build_gexps():
    g = ev('''(define conf (plain-file "a.conf" "x"))
              (define args '("-v" "-d"))
              #~(begin (system* #$(file-append (specification->package "qemu") "/bin/qemu-img")
                                #$@args "-f" #$conf #+conf)
                       (quote #$(list 1 2)))''')
    assert isinstance(g, Gexp)
    assert lowered(g) == ('(begin (system* "</pkg/qemu/bin/qemu-img>" "-v" "-d" "-f" '
                          '"/store/a.conf" "/store/a.conf") (quote (1 2)))')


def test_plain_values_are_inserted_as_they_are():
    assert lowered(ev('(define n 42) #~(list #$n #$"s" #$#t #$(quote sym))')) == \
        '(list 42 "s" #t sym)'


def test_nested_gexps_are_inlined():
    assert lowered(ev('(define inner #~(display #$(plain-file "f" "")))\n'
                      '#~(lambda () #$inner)')) == '(lambda () (display "/store/f"))'


def test_output_and_package_outputs():
    assert lowered(ev("#~(mkdir #$output)")) == '(mkdir "/out/out")'
    assert lowered(ev("(use-package-modules virtualization) #~(list #$qemu:static)")) == \
        '(list "/pkg/qemu:static")'
    assert lowered(ev('(use-package-modules virtualization) #~(list #$(ungexp qemu "static"))'
                      .replace("#$(ungexp", "(ungexp"))) == '(list "/pkg/qemu:static")'


def test_quasiquote_inside_a_gexp_is_left_for_later():
    assert lowered(ev("(define x 1) #~`(a ,b #$x)")) == "(quasiquote (a (unquote b) 1))"


def test_ungexp_outside_a_gexp_is_a_located_error():
    msg = error_of("(define x 1)\n(list #$x)")
    assert msg.startswith("config.scm:2:7: error: #$ (ungexp) used outside a gexp")


def test_splicing_needs_a_list():
    g = ev("(define x 5) #~(f #$@x)")
    try:
        lower(g, fake)
    except Exception as e:       # noqa: BLE001
        assert "#$@ needs a list, got 5" in str(e)
    else:
        raise AssertionError("expected an error")


def test_gexp_inputs_lists_references_once_in_order():
    g = ev('''(define a (plain-file "a" "")) (define b (plain-file "b" ""))
              #~(list #$a #$(list b a) #$@(list b) #$(file-append a "/x"))''')
    names = [getattr(i, "name", None) or i.suffix for i in gexp_inputs(g)]
    assert names == ["a", "b", "/x"]


def test_python_gexp_helper_marks_file_likes_and_packages():
    libvirt = lookup_package("libvirt")
    conf = plain_file("libvirtd.conf", "x")
    g = gexp([Symbol("start"), file_append(libvirt, "/sbin/libvirtd"), "-f", conf,
              Ungexp(from_list(["--a", "--b"]), splicing=True)])
    assert lowered(g) == '(start "</pkg/libvirt/sbin/libvirtd>" "-f" "/store/libvirtd.conf" ' \
                         '"--a" "--b")'
    assert gexp_inputs(g)[1] is conf


def test_forkexec_shape_is_guix():
    libvirt = lookup_package("libvirt")
    g = forkexec([file_append(libvirt, "/sbin/libvirtd"), "-f", plain_file("c", "")],
                 environment={"PATH": "/run/current-system/profile/bin",
                              "LIB": file_append(libvirt, "/lib")},
                 user="u", group="g", pid_file="/run/p.pid", log_file="/var/log/l.log",
                 directory="/tmp")
    assert lowered(g) == (
        '(make-forkexec-constructor (list "</pkg/libvirt/sbin/libvirtd>" "-f" "/store/c") '
        '#:user "u" #:group "g" #:pid-file "/run/p.pid" #:log-file "/var/log/l.log" '
        '#:directory "/tmp" #:environment-variables (list '
        '"PATH=/run/current-system/profile/bin" (string-append "LIB=" "</pkg/libvirt/lib>")))')
    assert lowered(kill_destructor()) == "(make-kill-destructor)"
    assert lowered(kill_destructor("SIGINT")) == "(make-kill-destructor SIGINT)"


def test_mcron_job_shape():
    ganeti = lookup_package("ganeti")
    job = mcron_job(from_list([Symbol("next-second-from"),
                               from_list([Symbol("next-minute"),
                                          from_list([Symbol("range"), 0, 60, 5])])]),
                    [file_append(ganeti, "/sbin/ganeti-watcher"), " --job-age=21600"],
                    name="ganeti-watcher")
    assert lowered(job) == ("(job (quote (next-second-from (next-minute (range 0 60 5)))) "
                            '(string-append "</pkg/ganeti/sbin/ganeti-watcher>" '
                            '" --job-age=21600") "ganeti-watcher")')
    assert lowered(mcron_job("45 1 * * *", "true", user="root")) == \
        '(job "45 1 * * *" "true" #:user "root")'


def test_mcron_service_from_scheme():
    services = ev('''(use-service-modules mcron)
        (list (simple-service 'my-jobs mcron-service-type
                (list #~(job "*/5 * * * *" "date >> /tmp/dates"))))''')
    folded = fold_services(to_list(services))
    (config,) = folded.values_of(mcron_service_type)
    assert len(to_list(config["jobs"])) == 1
    (entry,) = [e for e in check_shepherd_conflicts(folded) if not e.milestone]
    start = entry.record["start"]
    res = resolver(lambda fl: f"/store/{fl.name}")
    code = write_string(lower(start, res))
    assert code.startswith('(make-forkexec-constructor (list "/usr/bin/mcron" "--log" '
                           '"--log-format" "~1@*~a ~a: ~a~%" "/store/mcron-job")')
    (job_file,) = [i for i in gexp_inputs(start) if getattr(i, "name", "") == "mcron-job"]
    assert job_file.produce(res).data == b'(job "*/5 * * * *" "date >> /tmp/dates")\n'


def test_resolver_for_builders():
    res = resolver(lambda fl: f"/gnu/store/x-{fl.name}")
    openssh = lookup_package("openssh")
    assert res(file_append(openssh, "/bin/ssh-keygen")) == "/usr/bin/ssh-keygen"
    assert res(file_append(plain_file("d", ""), "/sub")) == "/gnu/store/x-d/sub"
    assert res(openssh) == "/usr"
    assert isinstance(plain_file("p", "x"), PlainFile)
