"""File-like objects: files a config describes, made when the system is built.

Each kind knows its name and how to produce its content given a *resolver* (the builder's
function from a file-like object, package, `FileAppend` or gexp `Output` to the path it
has in the built system).  `produce(resolve)` returns `FileData`, `DirData` or `LinkData`;
`inputs()` lists what `produce` will ask the resolver about, so a builder can make those
first.  Nothing here writes outside a temporary directory.
"""

from __future__ import annotations

import os
import stat
import tempfile
from typing import Any, Callable, Iterable

from vsys.dsl.api import fresh_module
from vsys.dsl.compiler import Ctx, compile_toplevel, run_node
from vsys.dsl.datatypes import (
    NIL,
    Keyword,
    Location,
    Pair,
    Symbol,
    from_list,
    is_string,
    pystr,
    to_list,
)
from vsys.dsl.errors import Condition, SchemeError, did_you_mean, error, wrong_type
from vsys.dsl.located import located_procedure
from vsys.dsl.modules import Interface, existing_module
from vsys.dsl.printer import write_string
from vsys.dsl.procedures import call, make_primitive

from .gexp import Gexp, Lowerable, Output, gexp, gexp_inputs, lower
from .packages import Package, lookup_package

# --- produced content ------------------------------------------------------------------------

class FileData:
    """A regular file's bytes and whether it is executable."""

    __slots__ = ("data", "executable")

    def __init__(self, data: bytes, executable: bool = False):
        self.data = data
        self.executable = executable

    def __repr__(self) -> str:
        return f"FileData({self.data[:40]!r}{'...' if len(self.data) > 40 else ''}, " \
               f"executable={self.executable})"


class LinkData:
    """A symbolic link to `target` (an absolute path, usually in the store)."""

    __slots__ = ("target",)

    def __init__(self, target: str):
        self.target = target

    def __repr__(self) -> str:
        return f"LinkData({self.target!r})"


class DirData:
    """A directory: entry name -> FileData | DirData | LinkData."""

    __slots__ = ("entries",)

    def __init__(self, entries: dict[str, Any] | None = None):
        self.entries = entries if entries is not None else {}

    def add(self, relpath: str, content: Any) -> None:
        """Place `content` at `relpath` (slashes make intermediate directories)."""
        parts = [p for p in relpath.split("/") if p]
        d = self
        for part in parts[:-1]:
            sub = d.entries.get(part)
            if not isinstance(sub, DirData):
                sub = DirData()
                d.entries[part] = sub
            d = sub
        d.entries[parts[-1]] = content

    def __repr__(self) -> str:
        return f"DirData({self.entries!r})"


Resolver = Callable[[Any], Any]


# --- the kinds of file-like objects ---------------------------------------------------------------

class FileLike(Lowerable):
    """Base of everything `file-like?`: a name and a way to produce content."""

    kind = "file-like"
    name: str
    loc: Location | None = None

    def produce(self, resolve: Resolver) -> FileData | DirData | LinkData:
        raise NotImplementedError

    def inputs(self) -> list:
        return []

    @property
    def is_directory(self) -> bool:
        return False

    def scheme_repr(self, write: bool) -> str:
        return f"#<{self.kind} {self.name}>"

    def __repr__(self) -> str:
        return self.scheme_repr(True)


def _bytes(text: Any) -> bytes:
    if isinstance(text, (bytes, bytearray)):
        return bytes(text)
    return pystr(text).encode("utf-8")


class PlainFile(FileLike):
    kind = "plain-file"

    def __init__(self, name: str, content: str | bytes, loc: Location | None = None):
        self.name = name
        self.content = content
        self.loc = loc

    def produce(self, resolve: Resolver) -> FileData:
        return FileData(_bytes(self.content))

    def scheme_repr(self, write: bool) -> str:
        return f'#<plain-file "{self.name}">'


class LocalFile(FileLike):
    kind = "local-file"

    def __init__(self, path: str, name: str, recursive: bool, loc: Location | None = None,
                 select: Callable[[str, os.stat_result], bool] | None = None):
        self.path = path              # absolute
        self.name = name
        self.recursive = recursive
        self.loc = loc
        self.select = select

    @property
    def is_directory(self) -> bool:
        return self.recursive and os.path.isdir(self.path)

    def produce(self, resolve: Resolver) -> FileData | DirData:
        if not os.path.lexists(self.path):
            raise error(f"local-file: {self.path} no longer exists", key="system-error",
                        loc=self.loc)
        if not self.recursive:
            with open(self.path, "rb") as f:
                return FileData(f.read())
        try:
            return _read_tree(self.path, self.select)
        except SchemeError as e:
            if e.loc is None:
                e.loc = self.loc
            raise

    def scheme_repr(self, write: bool) -> str:
        return f'#<local-file "{self.path}" as "{self.name}">'


def special_kind(mode: int) -> str | None:
    """What a file of MODE is when it is neither a regular file, a directory nor a
    symbolic link: a file whose content cannot be copied (reading /dev/zero never ends)."""
    for test, kind in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return kind
    return None


def _read_tree(path: str, select=None) -> FileData | DirData | LinkData:
    st = os.lstat(path)
    if os.path.islink(path):
        return LinkData(os.readlink(path))
    kind = special_kind(st.st_mode)
    if kind:
        raise error(f"local-file: {path} is {kind}, whose content cannot be copied",
                    key="system-error")
    if os.path.isdir(path):
        d = DirData()
        for entry in sorted(os.listdir(path)):
            full = os.path.join(path, entry)
            if select is not None and not select(full, os.lstat(full)):
                continue
            d.entries[entry] = _read_tree(full, select)
        return d
    with open(path, "rb") as f:
        return FileData(f.read(), bool(st.st_mode & 0o111))


def _text_of(part: Any, resolve: Resolver, who: str) -> str:
    if is_string(part):
        return pystr(part)
    if is_lowerable(part):
        return str(resolve(part))
    raise wrong_type(who, 2, "string or file-like object", part)


class MixedTextFile(FileLike):
    """Text made of strings and the paths of file-like objects (`mixed-text-file`)."""

    kind = "mixed-text-file"

    def __init__(self, name: str, parts: list, loc: Location | None = None):
        self.name = name
        self.parts = parts
        self.loc = loc

    def inputs(self) -> list:
        return [p for p in self.parts if is_lowerable(p)]

    def produce(self, resolve: Resolver) -> FileData:
        return FileData("".join(_text_of(p, resolve, "mixed-text-file")
                                for p in self.parts).encode("utf-8"))


def _write_code(datum: Any) -> str:
    return write_string(datum)


class ShellScript(MixedTextFile):
    """An executable mixed-text-file: a /bin/sh script naming files by their paths."""

    kind = "shell-script"

    def produce(self, resolve) -> FileData:
        return FileData(super().produce(resolve).data, executable=True)


class SchemeFile(FileLike):
    """A file holding Scheme data or lowered code, written with `write`."""

    kind = "scheme-file"

    def __init__(self, name: str, datum: Any, splice: bool = False,
                 loc: Location | None = None):
        self.name = name
        self.datum = datum if type(datum) is Gexp else gexp(datum)
        self.splice = splice
        self.loc = loc

    def inputs(self) -> list:
        return gexp_inputs(self.datum)

    def produce(self, resolve: Resolver) -> FileData:
        code = lower(self.datum, resolve)
        forms = to_list(code) if self.splice else [code]
        return FileData(("\n".join(_write_code(f) for f in forms) + "\n").encode("utf-8"))


class ProgramFile(FileLike):
    """An executable Guile script running the gexp's code.  `guile` is the interpreter
    package (default: the `guile` package, i.e. the host's /usr/bin/guile)."""

    kind = "program-file"

    def __init__(self, name: str, code: Gexp, guile: Any = None,
                 loc: Location | None = None):
        self.name = name
        self.code = code if type(code) is Gexp else gexp(code)
        self.guile = guile
        self.loc = loc

    def interpreter(self) -> "FileAppend":
        guile = self.guile
        if guile is None:
            guile = lookup_package("guile")
        return FileAppend(guile, "/bin/guile")

    def inputs(self) -> list:
        return [self.interpreter()] + gexp_inputs(self.code)

    def produce(self, resolve: Resolver) -> FileData:
        shebang = f"#!{resolve(self.interpreter())} --no-auto-compile\n!#\n"
        body = _write_code(lower(self.code, resolve))
        return FileData((shebang + body + "\n").encode("utf-8"), executable=True)


class ComputedFile(FileLike):
    """A file or directory made by running the gexp's code, which must create
    `#$output`.  The code runs in vsys's own evaluator, in a scratch directory."""

    kind = "computed-file"

    def __init__(self, name: str, code: Gexp, loc: Location | None = None,
                 options: list | None = None):
        self.name = name
        self.code = code if type(code) is Gexp else gexp(code)
        self.loc = loc
        self.options = options or []

    def inputs(self) -> list:
        return [i for i in gexp_inputs(self.code) if not isinstance(i, Output)]

    def produce(self, resolve: Resolver) -> FileData | DirData | LinkData:
        with tempfile.TemporaryDirectory(prefix="vsys-computed-") as tmp:
            out = os.path.join(tmp, self.name)

            def resolve_here(obj: Any) -> Any:
                return out if isinstance(obj, Output) else resolve(obj)

            code = lower(self.code, resolve_here)
            module = fresh_module(("vsys-computed-file",))
            module.use(Interface(existing_module(("guix", "build", "utils"))))
            ctx = Ctx(module, None)
            try:
                run_node(compile_toplevel(code, ctx))
            except SchemeError as e:
                raise SchemeError(Condition(
                    "build-error", f"computed-file {self.name}: its code failed: "
                    f"{e.condition.text() if e.condition else e}", (), "computed-file",
                    loc=self.loc)) from None
            if not os.path.lexists(out):
                raise SchemeError(Condition(
                    "build-error", f"computed-file {self.name}: its code did not create "
                    f"#$output", (), "computed-file", loc=self.loc))
            return _read_tree(out)


class FileUnion(FileLike):
    """A directory whose entries (relative paths) link to file-like objects."""

    kind = "file-union"

    def __init__(self, name: str, entries: list[tuple[str, Any]],
                 loc: Location | None = None):
        self.name = name
        self.entries = entries
        self.loc = loc

    @property
    def is_directory(self) -> bool:
        return True

    def inputs(self) -> list:
        return [fl for _, fl in self.entries]

    def produce(self, resolve: Resolver) -> DirData:
        d = DirData()
        for path, fl in self.entries:
            d.add(path, LinkData(str(resolve(fl))))
        return d


class ConcatenatedFile(FileLike):
    """The contents of several file-like objects one after the other (used for the
    authorized keys of a user, for instance)."""

    kind = "concatenated-file"

    def __init__(self, name: str, parts: list, loc: Location | None = None):
        self.name = name
        self.parts = parts
        self.loc = loc

    def inputs(self) -> list:
        return [p for p in self.parts if isinstance(p, FileLike)]

    def produce(self, resolve: Resolver) -> FileData:
        chunks = []
        for p in self.parts:
            if is_string(p):
                chunks.append(pystr(p).encode("utf-8"))
                continue
            content = p.produce(resolve)
            if not isinstance(content, FileData):
                raise error(f"{self.name}: {p.name} is a directory, expected a file",
                            loc=self.loc)
            data = content.data
            if data and not data.endswith(b"\n"):
                data += b"\n"
            chunks.append(data)
        return FileData(b"".join(chunks))


class FileAppend(Lowerable):
    """`(file-append OBJ SUFFIX ...)`: the path of OBJ followed by SUFFIX, e.g. a
    package's `/sbin/libvirtd`."""

    __slots__ = ("base", "suffix")

    def __init__(self, base: Any, suffix: str):
        self.base = base
        self.suffix = suffix

    def scheme_repr(self, write: bool) -> str:
        return f"#<file-append {write_string(self.base)} {write_string(self.suffix)}>"

    def __repr__(self) -> str:
        return self.scheme_repr(True)


# --- predicates, field types ---------------------------------------------------------------

def is_lowerable(x: Any) -> bool:
    """Things a gexp or mixed-text-file can refer to by path."""
    return isinstance(x, (FileLike, Package, FileAppend, Output, Gexp))


def is_file_like(x: Any) -> bool:
    """Guix's `file-like?`: file-like objects, packages, file-append values."""
    return isinstance(x, (FileLike, Package, FileAppend))


def resolver(store_path: Callable[[FileLike], str],
             output: Callable[[Output], str] | None = None) -> Resolver:
    """A ready resolver for builders: `store_path(file_like)` gives a built file-like
    object's path; packages resolve to their host files (see packages.Package)."""

    def resolve(obj: Any) -> Any:
        if isinstance(obj, FileAppend):
            base = obj.base
            if isinstance(base, Package):
                return base.host_path(obj.suffix)
            return str(resolve(base)) + obj.suffix
        if isinstance(obj, Package):
            return obj.host_path("")
        if isinstance(obj, FileLike):
            return store_path(obj)
        if isinstance(obj, Output):
            if output is None:
                raise error("#$output used outside a computed-file", key="build-error")
            return output(obj)
        if isinstance(obj, Gexp):
            return lower(obj, resolve)
        raise TypeError(f"cannot resolve {obj!r}")
    return resolve


# --- constructors (Python API, also the Scheme procedures) ------------------------------------

def _name(x: Any, who: str, position: int = 1) -> str:
    if not is_string(x):
        raise wrong_type(who, position, "string (a file name)", x)
    name = pystr(x)
    if not name or "/" in name:
        raise error(f"{who}: invalid file name {name!r}: a name has no slash and is not "
                    f"empty", key="wrong-type-arg")
    return name


def plain_file(name: str, content: Any) -> PlainFile:
    """(plain-file NAME CONTENT): a file called NAME holding the string CONTENT."""
    if not (is_string(content) or isinstance(content, (bytes, bytearray))):
        raise wrong_type("plain-file", 2, "string or bytevector", content)
    return PlainFile(_name(name, "plain-file"),
                     content if isinstance(content, (bytes, bytearray)) else pystr(content))


def local_file(site_or_dir: Any, path: Any, name: Any = None, recursive: bool = False,
               select: Callable | None = None) -> LocalFile:
    """The host file PATH (relative to the directory of the config file that names it),
    copied into the system when it is built.  A missing file is an error now."""
    if not is_string(path):
        raise wrong_type("local-file", 1, "string (a file name)", path)
    path = pystr(path)
    loc = getattr(site_or_dir, "loc", None)
    base = _base_dir(site_or_dir)
    full = os.path.normpath(os.path.join(base, os.path.expanduser(path)))
    hints = []
    if not os.path.isabs(os.path.expanduser(path)):
        hints.append(f"a relative file name is relative to the directory of the config "
                     f"file: {base}")
    if not os.path.lexists(full):
        raise SchemeError(Condition("system-error", f"local-file: file not found: {full}",
                                    (path,), "local-file", hints, loc=loc))
    if os.path.isdir(full) and not recursive:
        raise SchemeError(Condition(
            "system-error", f"local-file: {full} is a directory", (path,), "local-file",
            ["add #:recursive? #t to include a directory"], loc=loc))
    kind = special_kind(os.stat(full).st_mode) if os.path.exists(full) else None
    if kind:
        raise SchemeError(Condition(
            "system-error", f"local-file: {full} is {kind}, whose content cannot be copied",
            (path,), "local-file", ["local-file copies a regular file (or, with "
                                    "#:recursive? #t, a directory) into the system"], loc=loc))
    fname = os.path.basename(full) if name is None or name is False else \
        _name(name, "local-file", 2)
    return LocalFile(full, fname, bool(recursive), loc, select)


def _base_dir(site_or_dir: Any) -> str:
    if isinstance(site_or_dir, str):
        return site_or_dir
    file = getattr(site_or_dir, "file", None)
    if file and not file.startswith("<"):
        return os.path.dirname(os.path.abspath(file))
    return os.getcwd()


def mixed_text_file(name: str, *parts: Any) -> MixedTextFile:
    """(mixed-text-file NAME PART ...): text made of strings and the file names of
    file-like objects and packages."""
    for i, p in enumerate(parts):
        if not (is_string(p) or is_lowerable(p)):
            raise wrong_type("mixed-text-file", i + 2, "string or file-like object", p)
    return MixedTextFile(_name(name, "mixed-text-file"), list(parts))


def program_file(name: str, code: Any, guile: Any = None) -> ProgramFile:
    """(program-file NAME GEXP [#:guile GUILE]): an executable script running GEXP."""
    if type(code) is not Gexp:
        raise wrong_type("program-file", 2, "gexp", code)
    return ProgramFile(_name(name, "program-file"), code, guile)


def scheme_file(name: str, datum: Any, splice: bool = False) -> SchemeFile:
    """(scheme-file NAME EXP [#:splice? #f]): a file holding EXP (a gexp or data)."""
    return SchemeFile(_name(name, "scheme-file"), datum, splice)


def computed_file(name: str, code: Any, options: list | None = None) -> ComputedFile:
    """(computed-file NAME GEXP): the file or directory GEXP creates as #$output."""
    if type(code) is not Gexp:
        raise wrong_type("computed-file", 2, "gexp", code)
    return ComputedFile(_name(name, "computed-file"), code, options=options)


def file_union(name: str, entries: Any) -> FileUnion:
    """(file-union NAME '((PATH FILE-LIKE) ...)): a directory of those files."""
    items = []
    pairs = to_list(entries) if type(entries) is Pair or entries is NIL else list(entries)
    for e in pairs:
        if type(e) is Pair:
            parts = to_list(e)
        else:
            parts = list(e)
        if len(parts) != 2 or not is_string(parts[0]) or not is_file_like(parts[1]):
            raise wrong_type("file-union", 2, "list of (PATH FILE-LIKE)", e if type(e) is
                             Pair else from_list(parts))
        items.append((pystr(parts[0]), parts[1]))
    return FileUnion(_name(name, "file-union"), items)


def file_append(obj: Any, *suffixes: Any) -> FileAppend:
    """(file-append OBJ SUFFIX ...): the file name of OBJ followed by the suffixes."""
    if not is_file_like(obj):
        raise wrong_type("file-append", 1, "file-like object or package", obj)
    for i, s in enumerate(suffixes):
        if not is_string(s):
            raise wrong_type("file-append", i + 2, "string", s)
    suffix = "".join(pystr(s) for s in suffixes)
    if isinstance(obj, FileAppend):          # (file-append (file-append p "/a") "/b")
        return FileAppend(obj.base, obj.suffix + suffix)
    return FileAppend(obj, suffix)


# --- keyword arguments of the Scheme procedures ---------------------------------------------

def split_keywords(who: str, args: tuple, keywords: Iterable[str]) -> tuple[list, dict]:
    """Positional arguments and `#:key value` pairs; an unknown keyword is an error."""
    allowed = set(keywords)
    pos: list = []
    kw: dict = {}
    i = 0
    while i < len(args):
        a = args[i]
        if type(a) is Keyword:
            if a.name not in allowed:
                raise error(f"{who}: unknown keyword #:{a.name}", key="keyword-argument-error",
                            hints=did_you_mean(a.name, allowed) +
                            [f"{who} accepts " + ", ".join(f"#:{k}" for k in sorted(allowed))])
            if i + 1 >= len(args):
                raise error(f"{who}: keyword #:{a.name} has no value",
                            key="keyword-argument-error")
            kw[a.name] = args[i + 1]
            i += 2
            continue
        pos.append(a)
        i += 1
    return pos, kw


def _scheme_local_file(site, file, *rest):
    """(local-file FILE [NAME] [#:recursive? #f] [#:select? ...]): a host file, relative
    to the config's directory, copied into the system when it is built."""
    pos, kw = split_keywords("local-file", rest, ("recursive?", "select?"))
    if len(pos) > 1:
        raise error("local-file: too many arguments", key="wrong-number-of-args",
                    hints=["write (local-file FILE [NAME] #:recursive? #t)"])
    select = kw.get("select?")
    return local_file(site, file, pos[0] if pos else None,
                      kw.get("recursive?", False) is not False,
                      None if select is None or select is False else _selector(select))


def _selector(select: Any) -> Callable[[str, os.stat_result], bool]:
    """A Python predicate calling the Scheme procedure of #:select? (FILE STAT)."""

    def pyselect(path, st):
        return call(select, [path, False]) is not False
    return pyselect


def install(module) -> None:
    """Define the file-like procedures of (guix gexp) in `module`."""
    d = module.define
    d(Symbol("local-file"), located_procedure("local-file", _scheme_local_file), True)

    def program_file_s(name, code, *rest):
        """(program-file NAME GEXP [#:guile GUILE]): an executable Guile script."""
        _, kw = split_keywords("program-file", rest, ("guile", "module-path"))
        g = kw.get("guile")
        return program_file(name, code, None if g is None or g is False else g)

    def scheme_file_s(name, datum, *rest):
        """(scheme-file NAME EXP [#:splice? #f]): a file holding EXP."""
        _, kw = split_keywords("scheme-file", rest, ("splice?", "set-load-path?"))
        return scheme_file(name, datum, kw.get("splice?", False) is not False)

    def computed_file_s(name, code, *rest):
        """(computed-file NAME GEXP [#:options ...]): the file GEXP creates as #$output."""
        _, kw = split_keywords("computed-file", rest, ("options", "local-build?", "guile"))
        return computed_file(name, code, to_list(kw.get("options", NIL)))

    prims = {
        "plain-file": plain_file,
        "mixed-text-file": mixed_text_file,
        "program-file": program_file_s,
        "scheme-file": scheme_file_s,
        "computed-file": computed_file_s,
        "file-union": file_union,
        "file-append": file_append,
        "file-like?": is_file_like,
        "local-file?": lambda x: isinstance(x, LocalFile),
        "plain-file?": lambda x: isinstance(x, PlainFile),
        "computed-file?": lambda x: isinstance(x, ComputedFile),
        "program-file?": lambda x: isinstance(x, ProgramFile),
        "scheme-file?": lambda x: isinstance(x, SchemeFile),
        "file-append?": lambda x: isinstance(x, FileAppend),
        "plain-file-name": lambda x: _check(x, PlainFile, "plain-file-name").name,
        "plain-file-content": lambda x: _check(x, PlainFile, "plain-file-content").content,
        "local-file-file": lambda x: _check(x, LocalFile, "local-file-file").path,
        "local-file-name": lambda x: _check(x, LocalFile, "local-file-name").name,
        "local-file-absolute-file-name": lambda x: _check(x, LocalFile,
                                                          "local-file-absolute-file-name").path,
        "computed-file-name": lambda x: _check(x, ComputedFile, "computed-file-name").name,
        "program-file-name": lambda x: _check(x, ProgramFile, "program-file-name").name,
        "scheme-file-name": lambda x: _check(x, SchemeFile, "scheme-file-name").name,
        "file-append-base": lambda x: _check(x, FileAppend, "file-append-base").base,
        "file-append-suffix": lambda x: _check(x, FileAppend, "file-append-suffix").suffix,
    }
    for pname, fn in prims.items():
        d(Symbol(pname), make_primitive(pname, fn), True)


def _check(x: Any, cls: type, who: str) -> Any:
    if not isinstance(x, cls):
        raise wrong_type(who, 1, cls.kind if hasattr(cls, "kind") else cls.__name__, x)
    return x


__all__ = ["FileLike", "FileAppend", "FileData", "DirData", "LinkData", "plain_file",
           "local_file", "mixed_text_file", "program_file", "scheme_file", "computed_file",
           "file_union", "file_append", "is_file_like", "resolver",
           "ConcatenatedFile", "split_keywords"]
