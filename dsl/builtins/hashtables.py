"""Hash tables: Guile's native API (`hash-set!`, `hashq-ref`...) and SRFI-69
(`(srfi srfi-69)`: `hash-table-set!`, `hash-table-ref`...).

One `HashTable` type serves both.  Entries live in a dict from a hashable key (see
`predicates.equal_key` and friends: Python's own equality would merge 1, 1.0 and #t)
to the entry's handle, a pair `(key . value)` as in Guile, so that `hash-get-handle`
returns something `set-cdr!` can update.  Tables whose equivalence is not one of the
standard three (SRFI-69 allows any) are searched linearly.
"""

from __future__ import annotations

from typing import Any, Callable

from ..datatypes import UNSPECIFIED, Keyword, Pair, Symbol, Vector, from_list
from ..errors import error, out_of_range, wrong_type
from ..printer import write_string
from ..procedures import call
from .calling import call1
from .checks import need_count, need_proc
from .define import builtin, constant, lookup, reexport
from .predicates import eq_key, equal_key, eqv_key, stable_hash

SRFI69 = "srfi srfi-69"

_KEYS: dict[str, Callable[[Any], Any]] = {"equal": equal_key, "eqv": eqv_key, "eq": eq_key}

# Guile grows its tables through these bucket counts.
_SIZES = (31, 61, 113, 223, 443, 883, 1759, 3517, 7027, 14051, 28099, 56197, 112363,
          224717, 449419, 898823, 1797641, 3595271, 7190537, 14381041)


def _size_for(n: int) -> int:
    for size in _SIZES:
        if size >= n:
            return size
    return _SIZES[-1]


class HashTable:
    __slots__ = ("entries", "kind", "equiv", "hasher", "size", "buckets", "__weakref__")

    def __init__(self, kind: str = "equal", size: int = 31, equiv: Any = None,
                 hasher: Any = None):
        self.entries: dict[Any, Pair] = {}
        self.kind = kind          # "equal", "eqv", "eq", or "custom" (then `equiv`)
        self.equiv = equiv        # the Scheme equivalence procedure (SRFI-69)
        self.hasher = hasher      # the Scheme hash procedure (SRFI-69), informational
        self.size = size
        self.buckets: dict[Any, int] = {}   # entry key -> bucket, for hashx-* entries

    # -- access by a key function (native API) or by the table's own equivalence --
    def _key(self, key: Any, kind: str | None) -> Any:
        kind = kind or self.kind
        if kind == "custom":
            for hkey, handle in self.entries.items():
                if call(self.equiv, [key, handle.car]) is not False:
                    return hkey
            return object()          # not present: a fresh slot
        return _KEYS[kind](key)

    def handle(self, key: Any, kind: str | None = None) -> Pair | None:
        return self.entries.get(self._key(key, kind))

    def ref(self, key: Any, default: Any = False, kind: str | None = None) -> Any:
        h = self.entries.get(self._key(key, kind))
        return default if h is None else h.cdr

    def set(self, key: Any, value: Any, kind: str | None = None) -> None:
        hkey = self._key(key, kind)
        h = self.entries.get(hkey)
        if h is None:
            self.entries[hkey] = Pair(key, value)
            if len(self.entries) > self.size:
                self.size = _size_for(len(self.entries))
        else:
            h.cdr = value

    def remove(self, key: Any, kind: str | None = None) -> Pair | None:
        return self.entries.pop(self._key(key, kind), None)

    def handles(self) -> list[Pair]:
        """A snapshot, so that a procedure walking the table may change it."""
        return list(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def scheme_repr(self, write: bool) -> str:
        return f"#<hash-table {id(self):x} {len(self.entries)}/{self.size}>"


def need_table(origin: str, pos: int, x: Any) -> HashTable:
    if type(x) is HashTable:
        return x
    raise wrong_type(origin, pos, "hash-table", x)


# --- Guile's native API ----------------------------------------------------------------

@builtin("make-hash-table")
def make_hash_table(size=None):
    return HashTable(size=_size_for(need_count("make-hash-table", 1, size))
                     if size is not None else 31)


for _weak in ("make-weak-key-hash-table", "make-weak-value-hash-table",
              "make-doubly-weak-hash-table"):
    builtin(_weak)(make_hash_table)     # entries are kept alive; weakness is not observable here


@builtin("gc")
def gc():
    """Collect garbage.  The weak tables above keep their entries, so nothing a program
    holds changes; Python collects cycles itself, so there is nothing more to do."""
    return UNSPECIFIED


@builtin("hash-table?", "guile", SRFI69)
def is_hash_table(x):
    return type(x) is HashTable


def _native(prefix: str, kind: str):
    """hash-ref, hashq-ref, hashv-ref... differ only in the equivalence of keys."""
    @builtin(f"{prefix}-ref")
    def ref(table, key, default=False):
        return need_table(f"{prefix}-ref", 1, table).ref(key, default, kind)

    @builtin(f"{prefix}-set!")
    def set_(table, key, value):
        need_table(f"{prefix}-set!", 1, table).set(key, value, kind)
        return value

    @builtin(f"{prefix}-remove!")
    def remove(table, key):
        h = need_table(f"{prefix}-remove!", 1, table).remove(key, kind)
        return False if h is None else h

    @builtin(f"{prefix}-get-handle")
    def get_handle(table, key):
        h = need_table(f"{prefix}-get-handle", 1, table).handle(key, kind)
        return False if h is None else h

    @builtin(f"{prefix}-create-handle!")
    def create_handle(table, key, init):
        t = need_table(f"{prefix}-create-handle!", 1, table)
        h = t.handle(key, kind)
        if h is None:
            t.set(key, init, kind)
            h = t.handle(key, kind)
        return h


_native("hash", "equal")
_native("hashq", "eq")
_native("hashv", "eqv")


@builtin("hash-count")
def hash_count(pred, table):
    t = need_table("hash-count", 2, table)
    return sum(1 for h in t.handles() if call(pred, [h.car, h.cdr]) is not False)


@builtin("hash-clear!")
def hash_clear(table):
    t = need_table("hash-clear!", 1, table)
    t.entries.clear()
    t.buckets.clear()
    return UNSPECIFIED


@builtin("hash-for-each")
def hash_for_each(proc, table):
    for h in need_table("hash-for-each", 2, table).handles():
        call(proc, [h.car, h.cdr])
    return UNSPECIFIED


@builtin("hash-for-each-handle")
def hash_for_each_handle(proc, table):
    for h in need_table("hash-for-each-handle", 2, table).handles():
        call(proc, [h])
    return UNSPECIFIED


@builtin("hash-map->list")
def hash_map_to_list(proc, table):
    return from_list([call(proc, [h.car, h.cdr])
                      for h in need_table("hash-map->list", 2, table).handles()])


@builtin("hash-fold")
def hash_fold(proc, init, table):
    acc = init
    for h in need_table("hash-fold", 3, table).handles():
        acc = call(proc, [h.car, h.cdr, acc])
    return acc


def _hash_value(origin: str, key: Any, size: Any, key_fn) -> int:
    if type(size) is not int:
        raise wrong_type(origin, 2, "exact integer", size)
    if size <= 0:
        raise out_of_range(origin, 2, size)
    bound = size          # any size a fixnum holds, as in Guile
    if key_fn is equal_key and type(key) in (Pair, Vector):
        k = key                 # hashed by its printed form, which labels any cycle
    else:
        try:
            k = key_fn(key)
        except RecursionError:      # a cyclic structure: its printed form (with labels)
            k = key
    text = write_string(key) if k is key or type(k) is not tuple or k[0] != "id" \
        else str(k[1])
    return stable_hash(text) % bound


@builtin("hash", "guile")
def hash_(key, size):
    return _hash_value("hash", key, size, equal_key)


@builtin("hashq")
def hashq(key, size):
    return _hash_value("hashq", key, size, eq_key)


@builtin("hashv")
def hashv(key, size):
    return _hash_value("hashv", key, size, eqv_key)


# --- SRFI-69 -----------------------------------------------------------------------------

_EQUIVALENCES = {lookup("guile", "equal?"): "equal", lookup("guile", "eqv?"): "eqv",
                 lookup("guile", "eq?"): "eq", lookup("guile", "string=?"): "equal",
                 lookup("guile", "="): "eqv"}


def _kind_of(equiv: Any) -> str:
    return "equal" if equiv is None else _EQUIVALENCES.get(equiv, "custom")


@builtin("make-hash-table", SRFI69)
def srfi69_make_hash_table(equiv=None, hasher=None, *options):
    """OPTIONS: an initial size, and #:weak with #f, key, value or key-or-value."""
    if equiv is not None:
        need_proc("make-hash-table", 1, equiv)
    size = 31
    rest = list(options)
    while rest:
        item = rest.pop(0)
        if type(item) is Keyword and item.name == "weak" and rest:
            weak = rest.pop(0)
            if weak is not False and not (type(weak) is Symbol and weak.name in _WEAKNESS):
                raise error("Invalid weak hash table type", weak, origin="make-hash-table")
        elif type(item) is int and item > 0:
            size = _size_for(item)
    return HashTable(_kind_of(equiv), size, equiv, hasher)


_WEAKNESS = ("key", "value", "key-or-value")


@builtin("alist->hash-table", SRFI69)
def alist_to_hash_table(alist, equiv=None, hasher=None, *options):
    table = srfi69_make_hash_table(equiv, hasher)
    p = alist
    while type(p) is Pair:
        entry = p.car
        if type(entry) is not Pair:
            raise wrong_type("alist->hash-table", 1, "association list", alist)
        if table.handle(entry.car) is None:         # the first occurrence wins
            table.set(entry.car, entry.cdr)
        p = p.cdr
    return table


def _missing(origin: str, key: Any, table: HashTable):
    return error(f"{origin}: key not in table", key, table, origin=origin)


@builtin("hash-table-ref", SRFI69)
def hash_table_ref(table, key, thunk=None, *ignored):
    """SRFI-69 has no success procedure (SRFI-125's fourth argument); Guile ignores it."""
    h = need_table("hash-table-ref", 1, table).handle(key)
    if h is None:
        if thunk is None:
            raise _missing("hash-table-ref", key, table)
        return call(thunk, [])
    return h.cdr


@builtin("hash-table-ref/default", SRFI69)
def hash_table_ref_default(table, key, default):
    return need_table("hash-table-ref/default", 1, table).ref(key, default)


@builtin("hash-table-set!", SRFI69)
def hash_table_set(table, key, value):
    need_table("hash-table-set!", 1, table).set(key, value)
    return UNSPECIFIED


@builtin("hash-table-delete!", SRFI69)
def hash_table_delete(table, key):
    need_table("hash-table-delete!", 1, table).remove(key)
    return UNSPECIFIED


@builtin("hash-table-exists?", SRFI69)
def hash_table_exists(table, key):
    return need_table("hash-table-exists?", 1, table).handle(key) is not None


builtin("hash-table-contains?", SRFI69)(hash_table_exists)


@builtin("hash-table-update!", SRFI69)
def hash_table_update(table, key, proc, thunk=None):
    t = need_table("hash-table-update!", 1, table)
    h = t.handle(key)
    if h is None:
        if thunk is None:
            raise _missing("hash-table-update!", key, table)
        current = call(thunk, [])
    else:
        current = h.cdr
    t.set(key, call1(proc, [current]))
    return UNSPECIFIED


@builtin("hash-table-update!/default", SRFI69)
def hash_table_update_default(table, key, proc, default):
    t = need_table("hash-table-update!/default", 1, table)
    t.set(key, call1(proc, [t.ref(key, default)]))
    return UNSPECIFIED


@builtin("hash-table-size", SRFI69)
def hash_table_size(table):
    return len(need_table("hash-table-size", 1, table))


builtin("hash-table-count", SRFI69)(hash_table_size)


@builtin("hash-table-keys", SRFI69)
def hash_table_keys(table):
    return from_list([h.car for h in need_table("hash-table-keys", 1, table).handles()])


@builtin("hash-table-values", SRFI69)
def hash_table_values(table):
    return from_list([h.cdr for h in need_table("hash-table-values", 1, table).handles()])


@builtin("hash-table-walk", SRFI69)
def hash_table_walk(table, proc):
    for h in need_table("hash-table-walk", 1, table).handles():
        call(proc, [h.car, h.cdr])
    return UNSPECIFIED


@builtin("hash-table-fold", SRFI69)
def hash_table_fold(table, kons, knil):
    acc = knil
    for h in need_table("hash-table-fold", 1, table).handles():
        acc = call(kons, [h.car, h.cdr, acc])
    return acc


@builtin("hash-table->alist", SRFI69)
def hash_table_to_alist(table):
    return from_list([Pair(h.car, h.cdr)
                      for h in need_table("hash-table->alist", 1, table).handles()])


@builtin("hash-table-copy", SRFI69)
def hash_table_copy(table, mutable=False):
    t = need_table("hash-table-copy", 1, table)
    copy = HashTable(t.kind, t.size, t.equiv, t.hasher)
    copy.entries = {k: Pair(h.car, h.cdr) for k, h in t.entries.items()}
    copy.buckets = dict(t.buckets)
    return copy


@builtin("hash-table-merge!", SRFI69)
def hash_table_merge(into, source):
    t = need_table("hash-table-merge!", 1, into)
    for h in need_table("hash-table-merge!", 2, source).handles():
        if t.handle(h.car) is None:
            t.set(h.car, h.cdr)
    return t


@builtin("hash-table-clear!", SRFI69)
def hash_table_clear(table):
    t = need_table("hash-table-clear!", 1, table)
    t.entries.clear()
    t.buckets.clear()
    return UNSPECIFIED


@builtin("hash-table-equivalence-function", SRFI69)
def hash_table_equivalence_function(table):
    t = need_table("hash-table-equivalence-function", 1, table)
    return t.equiv if t.equiv is not None else lookup("guile", f"{t.kind}?")


@builtin("hash-table-hash-function", SRFI69)
def hash_table_hash_function(table):
    t = need_table("hash-table-hash-function", 1, table)
    if t.hasher is not None:
        return t.hasher
    return lookup("guile", {"equal": "hash", "eqv": "hashv", "eq": "hashq"}.get(t.kind, "hash"))


@builtin("hash", SRFI69)
def srfi69_hash(key, bound=None):
    return _hash_value("hash", key, (1 << 61) - 1 if bound is None else bound, equal_key)


@builtin("hash-by-identity", SRFI69)
def hash_by_identity(key, bound=None):
    return _hash_value("hash-by-identity", key, (1 << 61) - 1 if bound is None else bound,
                       eq_key)


reexport(SRFI69, "guile", "string-hash")
constant("string-ci-hash", lookup("guile", "string-hash-ci"), SRFI69)


# --- hashx: the caller's own hash and association procedures ---------------------------------
# (hashx-ref HASH ASSOC TABLE KEY): (HASH KEY SIZE) picks a bucket, and ASSOC, called as
# (ASSOC KEY BUCKET-ALIST) like assq or assoc, picks KEY's entry in it.  vsys's tables are
# dicts, not bucket vectors, so the bucket an entry went to is kept beside it: entries the
# native procedures made are in the bucket the table's own hash gives.  With Guile's own
# hash and assoc procedures, hashx-* is hash-*, and is done so.

_NATIVE_PAIRS: dict[tuple[Any, Any], str] = {}


def _native_kind(origin: str, hasher, assoc) -> str | None:
    need_proc(origin, 1, hasher)
    need_proc(origin, 2, assoc)
    if not _NATIVE_PAIRS:
        for h, a, kind in (("hash", "assoc", "equal"), ("hashv", "assv", "eqv"),
                           ("hashq", "assq", "eq")):
            _NATIVE_PAIRS[(lookup("guile", h), lookup("guile", a))] = kind
    return _NATIVE_PAIRS.get((hasher, assoc))


def _bucket_of(t: HashTable, hkey: Any, handle: Pair) -> int:
    b = t.buckets.get(hkey)
    if b is None:
        return _hash_value("hash", handle.car, t.size,
                           _KEYS.get(t.kind, equal_key))
    return b


def _hashx_find(origin: str, hasher, assoc, table, key):
    """(table, bucket, what ASSOC answered) for KEY."""
    t = need_table(origin, 3, table)
    b = call(hasher, [key, t.size])
    if type(b) is not int or not 0 <= b < t.size:
        raise out_of_range(origin, 1, b)
    # newest first, as Guile conses new entries onto the front of a bucket
    alist = from_list([h for k, h in reversed(t.entries.items()) if _bucket_of(t, k, h) == b])
    return t, b, call(assoc, [key, alist])


def _hashx_handle(origin: str, hasher, assoc, table, key):
    """The entry (a pair) for KEY, or None: a non-pair from ASSOC is not found."""
    t = need_table(origin, 3, table)
    kind = _native_kind(origin, hasher, assoc)
    if kind is not None:
        return t.handle(key, kind)
    found = _hashx_find(origin, hasher, assoc, table, key)[2]
    return found if type(found) is Pair else None


def _hashx_create(origin: str, hasher, assoc, table, key, init) -> Pair:
    t = need_table(origin, 3, table)
    kind = _native_kind(origin, hasher, assoc)
    if kind is not None:
        if t.handle(key, kind) is None:
            t.set(key, init, kind)
        return t.handle(key, kind)
    t, b, found = _hashx_find(origin, hasher, assoc, table, key)
    if type(found) is Pair:
        return found
    if found is not False:      # an assoc must answer a pair or #f
        raise wrong_type(origin, 2, "pair", found)
    handle = Pair(key, init)
    hkey = object()
    t.entries[hkey] = handle
    t.buckets[hkey] = b
    if len(t.entries) > t.size:
        t.size = _size_for(len(t.entries))
    return handle


@builtin("hashx-ref")
def hashx_ref(hasher, assoc, table, key, default=False):
    handle = _hashx_handle("hashx-ref", hasher, assoc, table, key)
    return default if handle is None else handle.cdr


@builtin("hashx-get-handle")
def hashx_get_handle(hasher, assoc, table, key):
    return _hashx_handle("hashx-get-handle", hasher, assoc, table, key) or False


@builtin("hashx-set!")
def hashx_set(hasher, assoc, table, key, value):
    _hashx_create("hashx-set!", hasher, assoc, table, key, value).cdr = value
    return value


@builtin("hashx-create-handle!")
def hashx_create_handle(hasher, assoc, table, key, init):
    return _hashx_create("hashx-create-handle!", hasher, assoc, table, key, init)


@builtin("hashx-remove!")
def hashx_remove(hasher, assoc, table, key):
    t = need_table("hashx-remove!", 3, table)
    kind = _native_kind("hashx-remove!", hasher, assoc)
    if kind is not None:
        return t.remove(key, kind) or False
    found = _hashx_find("hashx-remove!", hasher, assoc, table, key)[2]
    for hkey, handle in t.entries.items():
        if handle is found:
            del t.entries[hkey]
            t.buckets.pop(hkey, None)
            return handle
    return found
