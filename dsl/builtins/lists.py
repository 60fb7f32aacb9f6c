"""Pairs and lists: Guile's core list procedures, association lists, sorting, `apply`,
and SRFI-1 (module `(srfi srfi-1)`).

Lists can be long, so everything walks them in loops (never Python recursion).
Procedures that SRFI-1 allows to reuse their argument (`filter!`, `take!`...) return
fresh lists, which the SRFI permits.
"""

from __future__ import annotations

from functools import cmp_to_key
from typing import Any, Iterator

from ..datatypes import NIL, UNSPECIFIED, Pair, Values, Vector, from_list, is_list
from ..errors import Condition, SchemeError, error, out_of_range, wrong_type
from ..printer import write_string
from ..procedures import TailCall, call
from .arrays import rank1_items, rank1_like, rank1_write
from .calling import call1, caller
from .checks import need_count, need_list, need_pair, need_proc, need_range
from .define import builtin, lookup, reexport
from .numbers import fix, need_number
from .predicates import eq, eq_key, equal, equal_key, eqv, eqv_key
from .vectors import need_mutable_vector

SRFI1 = "srfi srfi-1"


# --- pairs ---------------------------------------------------------------------------

@builtin("cons")
def cons(a, b):
    return Pair(a, b)


@builtin("car")
def car(p):
    if type(p) is Pair:
        return p.car
    raise wrong_type("car", 1, "pair", p)


@builtin("cdr")
def cdr(p):
    if type(p) is Pair:
        return p.cdr
    raise wrong_type("cdr", 1, "pair", p)


def _cxr(name: str):
    path = name[-2:0:-1]        # cadr: cdr first, then car

    def cxr(x):
        for step in path:
            if type(x) is not Pair:
                raise wrong_type(name, 1, "pair", x)
            x = x.car if step == "a" else x.cdr
        return x
    cxr.__name__ = name
    builtin(name)(cxr)


def _cxr_names() -> list[str]:
    names = ["a", "d"]
    out = []
    for _ in range(3):
        names = [a + b for a in "ad" for b in names]
        out.extend(f"c{n}r" for n in names)
    return out


CXR_NAMES = _cxr_names()
for _name in CXR_NAMES:
    _cxr(_name)


@builtin("set-car!")
def set_car(p, value):
    need_pair("set-car!", 1, p).car = value
    return UNSPECIFIED


@builtin("set-cdr!")
def set_cdr(p, value):
    need_pair("set-cdr!", 1, p).cdr = value
    return UNSPECIFIED


@builtin("xcons", SRFI1)
def xcons(a, b):
    return Pair(b, a)


@builtin("car+cdr", SRFI1)
def car_cdr(p):
    need_pair("car+cdr", 1, p)
    return Values((p.car, p.cdr))


# --- construction and measure --------------------------------------------------------

@builtin("list")
def list_(*items):
    return from_list(items)


@builtin("cons*")
def cons_star(first, *rest):
    if not rest:
        return first
    return from_list((first,) + rest[:-1], rest[-1])


@builtin("make-list")
def make_list(n, fill=NIL):
    return from_list([fill] * need_count("make-list", 1, n))


@builtin("list-tabulate", SRFI1)
def list_tabulate(n, proc):
    if type(n) is int and n < 0:
        raise wrong_type("list-tabulate", 1, "non-negative integer", n)
    count = need_count("list-tabulate", 1, n)
    need_proc("list-tabulate", 2, proc)
    return from_list([call1(proc, [i]) for i in range(count)])


@builtin("iota")
def iota(count, start=0, step=1):
    inexact = type(count) is float and count.is_integer() and count >= 0
    if inexact:     # Guile takes 3.0 for 3, and then counts inexactly: (0.0 1.0 2.0)
        count = int(count)
    if type(count) is not int or count < 0:
        raise wrong_type("iota", 1, "non-negative integer", count)
    n = need_count("iota", 1, count)
    need_number("iota", 2, start)
    need_number("iota", 3, step)
    if inexact:
        return from_list([float(start + i * step) for i in range(n)])
    if type(start) is int and type(step) is int:
        return from_list(range(start, start + n * step, step) if step else [start] * n)
    return from_list([fix(start + i * step) for i in range(n)])


@builtin("list?")
def is_list_(x):
    return is_list(x)


@builtin("proper-list?", SRFI1)
def is_proper_list(x):
    return is_list(x)


def _shape(x) -> str:
    """'proper', 'dotted' or 'circular'."""
    slow = x
    while True:
        for _ in range(2):
            if x is NIL:
                return "proper"
            if type(x) is not Pair:
                return "dotted"
            x = x.cdr
        slow = slow.cdr
        if x is slow:
            return "circular"


@builtin("dotted-list?", SRFI1)
def is_dotted_list(x):
    return _shape(x) == "dotted"


@builtin("circular-list?", SRFI1)
def is_circular_list(x):
    return _shape(x) == "circular"


@builtin("null-list?", SRFI1)
def is_null_list(x):
    if x is NIL:
        return True
    if type(x) is Pair:
        return False
    raise wrong_type("null-list?", 1, "list", x)


@builtin("not-pair?", SRFI1)
def is_not_pair(x):
    return type(x) is not Pair


@builtin("length")
def length(x):
    n = 0
    p = x
    slow = x
    while type(p) is Pair:
        p = p.cdr
        n += 1
        if n & 1 == 0:
            slow = slow.cdr
            if p is slow and type(p) is Pair:
                raise wrong_type("length", 1, "list", x)
    if p is not NIL:
        raise wrong_type("length", 1, "list", x)
    return n


@builtin("length+", SRFI1)
def length_plus(x):
    """The length of a proper list, #f for a circular one; anything else is wrong."""
    shape = _shape(x)
    if shape == "circular":
        return False
    if x is not NIL and shape != "proper":
        raise wrong_type("length+", 1, "proper or circular list", x)
    n = 0
    while type(x) is Pair:
        n += 1
        x = x.cdr
    return n


# --- whole-list operations -----------------------------------------------------------

@builtin("append")
def append(*lists):
    if not lists:
        return NIL
    items: list = []
    for i, lst in enumerate(lists[:-1], 1):
        try:
            items.extend(need_list("append", i, lst))
        except SchemeError as e:
            # The usual slip: (append (service ...) %base-services) for one element.
            e.payload.hints.append("append joins lists: to add one element, write "
                                   "(append (list ELEMENT) LIST) or (cons ELEMENT LIST)")
            raise
    return from_list(items, lists[-1])


@builtin("append!")
def append_(*lists):
    result = NIL
    last = None
    for i, lst in enumerate(lists, 1):
        if lst is NIL:
            continue
        if last is None:
            result = lst
        else:
            last.cdr = lst
        if i < len(lists):
            last = need_pair("append!", i, lst)
            slow, steps = last, 0
            while type(last.cdr) is Pair:
                last = last.cdr
                steps += 1
                if not steps & 1:
                    slow = slow.cdr
                    if slow is last:
                        raise wrong_type("append!", i, "list", lst)
            if last.cdr is not NIL:
                raise wrong_type("append!", i, "list", lst)
    return result


@builtin("concatenate", SRFI1)
def concatenate(lists):
    return append(*need_list("concatenate", 1, lists))


@builtin("append-reverse", SRFI1)
def append_reverse(rev_head, tail):
    result = tail
    for item in need_list("append-reverse", 1, rev_head):
        result = Pair(item, result)
    return result


@builtin("reverse")
def reverse(lst):
    result = NIL
    p = lst
    while type(p) is Pair:
        result = Pair(p.car, result)
        p = p.cdr
    if p is not NIL:
        raise wrong_type("reverse", 1, "list", lst)
    return result


@builtin("reverse!")
def reverse_(lst, new_tail=NIL):
    need_list("reverse!", 1, lst)
    result = new_tail
    p = lst
    while type(p) is Pair:
        following = p.cdr
        p.cdr = result
        result = p
        p = following
    return result


@builtin("list-copy")
def list_copy(lst):
    return from_list(need_list("list-copy", 1, lst))


@builtin("list-copy", SRFI1)
def srfi1_list_copy(lst):
    """SRFI-1's: a fresh spine; an improper tail (or a non-list) is kept."""
    items = []
    p = slow = lst
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
        if not len(items) & 1:
            slow = slow.cdr
            if slow is p:                    # circular: it would never end
                raise wrong_type("list-copy", 1, "list", lst)
    return from_list(items, p)


def _cell(origin: str, lst, k) -> Pair:
    """The K-th pair of LST; an index past the end is out of range, as in Guile."""
    if type(k) is not int:
        raise wrong_type(origin, 2, "exact integer", k)
    if k < 0:
        raise out_of_range(origin, 2, k)
    p = lst
    for _ in range(k):
        if type(p) is not Pair:
            break
        p = p.cdr
    if type(p) is not Pair:
        raise out_of_range(origin, 2, k)
    return p


@builtin("list-ref")
def list_ref(lst, k):
    return _cell("list-ref", lst, k).car


@builtin("list-set!", "guile", "scheme base")
def list_set(lst, k, value):
    _cell("list-set!", lst, k).car = value
    return value


@builtin("list-cdr-set!", doc="Set the cdr of the K-th pair of LST to VALUE.")
def list_cdr_set(lst, k, value):
    _cell("list-cdr-set!", lst, k).cdr = value
    return value


def _tail(origin: str, lst, k):
    n = need_count(origin, 2, k)
    p = lst
    for _ in range(n):
        if type(p) is not Pair:
            raise wrong_type(origin, 1, "pair", p)
        p = p.cdr
    return p


@builtin("list-tail")
def list_tail(lst, k):
    return _tail("list-tail", lst, k)


def _head(origin: str, lst, k):
    n = need_count(origin, 2, k)
    items = []
    p = lst
    for _ in range(n):
        if type(p) is not Pair:
            raise wrong_type(origin, 1, "pair", p)
        items.append(p.car)
        p = p.cdr
    return from_list(items)


@builtin("list-head")
def list_head(lst, k):
    return _head("list-head", lst, k)


@builtin("last-pair")
def last_pair(lst):
    if type(lst) is not Pair:
        return lst
    while type(lst.cdr) is Pair:
        lst = lst.cdr
    return lst


@builtin("last", SRFI1)
def last(lst):
    if type(lst) is not Pair:
        raise wrong_type("last", 1, "pair", lst)
    return last_pair(lst).car


def _nth(name: str, n: int):
    def nth(lst):
        p = lst
        for _ in range(n):
            if type(p) is not Pair:
                raise wrong_type(name, 1, "pair", lst)
            p = p.cdr
        if type(p) is not Pair:
            raise wrong_type(name, 1, "pair", lst)
        return p.car
    nth.__name__ = name
    builtin(name, SRFI1)(nth)


for _i, _name in enumerate("first second third fourth fifth sixth seventh eighth ninth "
                           "tenth".split()):
    _nth(_name, _i)


@builtin("take", SRFI1)
def take(lst, k):
    return _head("take", lst, k)


builtin("take!", SRFI1)(take)


@builtin("drop", SRFI1)
def drop(lst, k):
    return _tail("drop", lst, k)


@builtin("take-right", SRFI1)
def take_right(lst, k):
    n = need_count("take-right", 2, k)
    lead = _tail("take-right", lst, n)
    result = lst
    while type(lead) is Pair:
        lead = lead.cdr
        result = result.cdr
    return result


@builtin("drop-right", SRFI1)
def drop_right(lst, k):
    n = need_count("drop-right", 2, k)
    items = []
    p = lst
    while type(p) is Pair:
        items.append(p.car)
        p = p.cdr
    if n > len(items):
        raise wrong_type("drop-right", 1, "pair", lst)
    return from_list(items[:len(items) - n])


builtin("drop-right!", SRFI1)(drop_right)


@builtin("split-at", SRFI1)
def split_at(lst, k):
    return Values((_head("split-at", lst, k), _tail("split-at", lst, k)))


builtin("split-at!", SRFI1)(split_at)


# --- mapping and folding -------------------------------------------------------------

def rows(name: str, lists: tuple) -> Iterator[list]:
    """The i-th elements of all `lists` together, up to the end of the shortest."""
    ps = list(lists)
    while all(type(p) is Pair for p in ps):
        yield [p.car for p in ps]
        ps = [p.cdr for p in ps]
    for i, p in enumerate(ps):
        if p is not NIL and type(p) is not Pair:
            raise wrong_type(name, i + 2, "list", lists[i])


def _items(name: str, lst, pos: int = 2) -> Iterator[Any]:
    """The elements of one list, checking the tail when the walk ends."""
    p = lst
    while type(p) is Pair:
        yield p.car
        p = p.cdr
    if p is not NIL:
        raise wrong_type(name, pos, "list", lst)


def _guile_list_error(origin: str, what: str, lst: Any) -> SchemeError:
    """Guile's core map and for-each name the list they refuse, in Guile's words."""
    return SchemeError(Condition(
        "wrong-type-arg", f"{origin}: {what}: {write_string(lst)}", (lst,), origin,
        throw_args=(origin, what + ": ~S", Pair(lst, NIL), False)))


def _strict_rows(name: str, lists: tuple) -> Iterator[list]:
    """The i-th elements of all `lists` together; lists of different lengths are an
    error, as in Guile's core (SRFI-1's versions stop at the shortest)."""
    for lst in lists:
        if not is_list(lst):
            raise _guile_list_error(name, "Not a list", lst)
    ps = list(lists)
    while all(type(p) is Pair for p in ps):
        yield [p.car for p in ps]
        ps = [p.cdr for p in ps]
    for p, lst in zip(ps, lists):
        if type(p) is Pair:
            raise _guile_list_error(name, "List of wrong length", lst)


def _strict_items(name: str, lst) -> Iterator[Any]:
    p = lst
    while type(p) is Pair:
        yield p.car
        p = p.cdr
    if p is not NIL:
        raise _guile_list_error(name, "Not a list", lst)


def _mapping(rows_of, items_of):
    """map and for-each walking their lists with ROWS_OF (several) and ITEMS_OF (one)."""
    def map_(proc, lst, *more):
        if more:
            return from_list([call1(proc, row) for row in rows_of("map", (lst,) + more)])
        f = caller(proc, 1, first=True)
        return from_list([f(x) for x in items_of("map", lst)])

    def for_each(proc, lst, *more):
        if more:
            for row in rows_of("for-each", (lst,) + more):
                call(proc, row)
        else:
            f = caller(proc, 1)
            for x in items_of("for-each", lst):
                f(x)
        return UNSPECIFIED
    return map_, for_each


map_, for_each = _mapping(_strict_rows, _strict_items)
builtin("map")(map_)
builtin("for-each")(for_each)
# SRFI-1's own: several lists are walked up to the end of the shortest,
srfi1_map, srfi1_for_each = _mapping(rows, _items)
builtin("map", SRFI1)(srfi1_map)
builtin("for-each", SRFI1)(srfi1_for_each)
# and R7RS's, which (scheme base) has of its own in Guile
r7rs_map, r7rs_for_each = _mapping(rows, _items)
builtin("map", "scheme base")(r7rs_map)
builtin("for-each", "scheme base")(r7rs_for_each)
builtin("map-in-order")(map_)
reexport(SRFI1, "guile", "map-in-order")
builtin("map!", SRFI1)(srfi1_map)


@builtin("append-map", SRFI1)
def append_map(proc, lst, *more):
    results = [call1(proc, row) for row in rows("append-map", (lst,) + more)]
    return append(*results) if results else NIL


builtin("append-map!", SRFI1)(append_map)


@builtin("filter-map", SRFI1)
def filter_map(proc, lst, *more):
    out = []
    for row in rows("filter-map", (lst,) + more):
        value = call1(proc, row)
        if value is not False:
            out.append(value)
    return from_list(out)


@builtin("pair-for-each", SRFI1)
def pair_for_each(proc, lst, *more):
    ps = [lst, *more]
    while all(type(p) is Pair for p in ps):
        following = [p.cdr for p in ps]
        call(proc, ps)
        ps = following
    return UNSPECIFIED


@builtin("pair-fold", SRFI1)
def pair_fold(kons, knil, lst, *more):
    acc = knil
    ps = [lst, *more]
    while all(type(p) is Pair for p in ps):
        following = [p.cdr for p in ps]
        acc = call1(kons, ps + [acc])
        ps = following
    return acc


@builtin("fold", SRFI1)
def fold(kons, knil, lst, *more):
    acc = knil
    if more:
        for row in rows("fold", (lst,) + more):
            acc = call1(kons, row + [acc])
    else:
        f = caller(kons, 2, first=True)
        for x in _items("fold", lst, 3):
            acc = f(x, acc)
    return acc


@builtin("fold-right", SRFI1, "rnrs lists")
def fold_right(kons, knil, lst, *more):
    acc = knil
    if more:
        for row in reversed(list(rows("fold-right", (lst,) + more))):
            acc = call1(kons, row + [acc])
        return acc
    f = caller(kons, 2, first=True)
    for x in reversed(list(_items("fold-right", lst, 3))):
        acc = f(x, acc)
    return acc


@builtin("fold-left", "rnrs lists")
def fold_left(combine, nil, lst, *more):
    acc = nil
    for row in rows("fold-left", (lst,) + more):
        acc = call1(combine, [acc] + row)
    return acc


def _reduce(name: str, proc, ridentity, lst, from_right: bool):
    items = need_list(name, 3, lst)
    if not items:
        return ridentity
    if from_right:
        items.reverse()
    acc = items[0]
    for x in items[1:]:
        acc = call1(proc, [x, acc])
    return acc


@builtin("reduce", SRFI1)
def reduce(proc, ridentity, lst):
    return _reduce("reduce", proc, ridentity, lst, False)


@builtin("reduce-right", SRFI1)
def reduce_right(proc, ridentity, lst):
    return _reduce("reduce-right", proc, ridentity, lst, True)


@builtin("unfold", SRFI1)
def unfold(stop, mapper, successor, seed, tail_gen=None):
    done, f, step = caller(stop, 1, True), caller(mapper, 1, True), caller(successor, 1, True)
    out = []
    while done(seed) is False:
        out.append(f(seed))
        seed = step(seed)
    tail = NIL if tail_gen is None else call1(tail_gen, [seed])
    return from_list(out, tail)


@builtin("unfold-right", SRFI1)
def unfold_right(stop, mapper, successor, seed, tail=NIL):
    done, f, step = caller(stop, 1, True), caller(mapper, 1, True), caller(successor, 1, True)
    result = tail
    while done(seed) is False:
        result = Pair(f(seed), result)
        seed = step(seed)
    return result


@builtin("zip", SRFI1)
def zip_(lst, *more):
    return from_list([from_list(row) for row in rows("zip", (lst,) + more)])


# --- filtering and searching ---------------------------------------------------------

@builtin("filter")
def filter_(pred, lst):
    test = caller(pred, 1)
    return from_list([x for x in _items("filter", lst) if test(x) is not False])


builtin("filter!")(filter_)
reexport(SRFI1, "guile", "filter filter!")


@builtin("remove", SRFI1)
def remove(pred, lst):
    test = caller(pred, 1)
    return from_list([x for x in _items("remove", lst) if test(x) is False])


builtin("remove!", SRFI1)(remove)


@builtin("partition", SRFI1)
def partition(pred, lst):
    yes, no = [], []
    test = caller(pred, 1)
    for x in _items("partition", lst):
        (yes if test(x) is not False else no).append(x)
    return Values((from_list(yes), from_list(no)))


builtin("partition!", SRFI1)(partition)


@builtin("count", SRFI1)
def count(pred, lst, *more):
    return sum(1 for row in rows("count", (lst,) + more) if call(pred, row) is not False)


def same_as(proc, first: bool = True) -> Any:
    """A Python test for an equivalence procedure; the standard ones skip `call`.
    `first`: its result is cut to one value (see `call1`); Guile's C delete and
    delete-duplicates test the multiple-values object itself, which is true."""
    if proc is None or proc is _EQUAL:
        return equal
    if proc is _EQV:
        return eqv
    if proc is _EQ:
        return eq
    if first:
        return lambda a, b: call1(proc, [a, b]) is not False
    return lambda a, b: call(proc, [a, b]) is not False


_EQUAL = lookup("guile", "equal?")
_EQV = lookup("guile", "eqv?")
_EQ = lookup("guile", "eq?")


def _deleter(name: str, default):
    def delete(x, lst, same=None):
        test = default if same is None else same_as(same, False)
        return from_list([y for y in _items(name, lst) if not test(x, y)])
    delete.__name__ = name
    builtin(name)(delete)


def _delete_first(name: str, default):
    def delete1(x, lst, same=None):
        test = default if same is None else same_as(same, False)
        items = list(_items(name, lst))
        for i, y in enumerate(items):
            if test(x, y):
                del items[i]
                break
        return from_list(items)
    builtin(name)(delete1)


_delete_first("delete1!", equal)
_delete_first("delq1!", eq)
_delete_first("delv1!", eqv)
def _splicer(name: str, default):
    """The destructive deleters work on the list's own cells, as Guile's: a deleted
    element's cell is spliced out of its predecessor (the first cells are skipped), so
    the argument afterwards holds what Guile's would."""
    def delete_x(x, lst, same=None):
        test = default if same is None else same_as(same, False)
        _items(name, lst)           # a proper list, or the error
        head, prev, p = lst, None, lst
        while type(p) is Pair:
            if test(x, p.car):
                if prev is None:
                    head = p.cdr
                else:
                    prev.cdr = p.cdr
            else:
                prev = p
            p = p.cdr
        return head
    builtin(name)(delete_x)


_deleter("delete", equal)
_splicer("delete!", equal)
_deleter("delq", eq)
_splicer("delq!", eq)
_deleter("delv", eqv)
_splicer("delv!", eqv)
reexport(SRFI1, "guile", "delete delete!")


@builtin("delete-duplicates", SRFI1)
def delete_duplicates(lst, same=None):
    items = need_list("delete-duplicates", 1, lst)
    if same is None or same is _EQUAL or same is _EQV or same is _EQ:
        key = eq_key if same is _EQ else eqv_key if same is _EQV else equal_key
        seen = set()
        out = []
        for x in items:
            k = key(x)
            if k not in seen:
                seen.add(k)
                out.append(x)
        return from_list(out)
    test = same_as(same, False)
    out = []
    for x in items:
        if not any(test(kept, x) for kept in out):
            out.append(x)
    return from_list(out)


@builtin("delete-duplicates!", SRFI1)
def delete_duplicates_x(lst, same=None):
    """In place, keeping each first occurrence's cell, as Guile's."""
    need_list("delete-duplicates!", 1, lst)
    test = equal if same is None else same_as(same, False)
    kept = lst
    while type(kept) is Pair:
        prev, p = kept, kept.cdr
        while type(p) is Pair:
            if test(kept.car, p.car):
                prev.cdr = p.cdr
            else:
                prev = p
            p = p.cdr
        kept = kept.cdr
    return lst


@builtin("find", SRFI1)
def find(pred, lst):
    test = caller(pred, 1, first=True)
    for x in _items("find", lst):
        if test(x) is not False:
            return x
    return False


@builtin("find-tail", SRFI1)
def find_tail(pred, lst):
    p = lst
    while type(p) is Pair:
        if call1(pred, [p.car]) is not False:
            return p
        p = p.cdr
    return False


@builtin("list-index", SRFI1)
def list_index(pred, lst, *more):
    for i, row in enumerate(rows("list-index", (lst,) + more)):
        if call1(pred, row) is not False:
            return i
    return False


@builtin("list-index")
def list_index_of(lst, x):
    """Guile's core `list-index` predates SRFI-1: the index of `x` (by eq?) in `lst`."""
    for i, item in enumerate(_items("list-index", lst, 1)):
        if eq(x, item):
            return i
    return False


@builtin("and-map")
def and_map(pred, lst):
    """Guile's older names for every and any on one list."""
    return every(pred, lst)


@builtin("or-map")
def or_map(pred, lst):
    return any_(pred, lst)


@builtin("any", SRFI1)
def any_(pred, lst, *more):
    for row in rows("any", (lst,) + more):
        value = call1(pred, row)
        if value is not False:
            return value
    return False


@builtin("every", SRFI1)
def every(pred, lst, *more):
    value: Any = True
    for row in rows("every", (lst,) + more):
        value = call1(pred, row)
        if value is False:
            return False
    return value


def _while(pred, lst, wanted: bool = True) -> tuple[list, Any]:
    """The leading elements for which `pred` is true (false when not `wanted`), and
    the rest of the list."""
    head = []
    p = lst
    while type(p) is Pair and (call1(pred, [p.car]) is not False) == wanted:
        head.append(p.car)
        p = p.cdr
    return head, p


@builtin("take-while", SRFI1)
def take_while(pred, lst):
    return from_list(_while(pred, lst)[0])


builtin("take-while!", SRFI1)(take_while)


@builtin("drop-while", SRFI1)
def drop_while(pred, lst):
    return _while(pred, lst)[1]


@builtin("span", SRFI1)
def span(pred, lst):
    head, rest = _while(pred, lst)
    return Values((from_list(head), rest))


builtin("span!", SRFI1)(span)


@builtin("break", SRFI1)
def break_(pred, lst):
    head, rest = _while(pred, lst, wanted=False)
    return Values((from_list(head), rest))


builtin("break!", SRFI1)(break_)


# --- membership and association lists ------------------------------------------------

def _find_in(name: str, x, lst, test, entries: bool):
    """The first pair of `lst` whose car (or, for an alist, whose entry's key) matches x:
    the pair for mem*, the entry for ass*."""
    p = lst
    while type(p) is Pair:
        item = p.car
        if entries:
            if type(item) is not Pair:
                raise wrong_type(name, 2, "association list", lst)
            if test(x, item.car):
                return item
        elif test(x, item):
            return p
        p = p.cdr
    if p is not NIL:
        raise wrong_type(name, 2, "association list" if entries else "list", lst)
    return False


def _finder(name: str, test, entries: bool, optional_test: bool):
    if optional_test:
        def find_(x, lst, same=None):
            return _find_in(name, x, lst, same_as(same), entries)
    else:
        def find_(x, lst):
            return _find_in(name, x, lst, test, entries)
    find_.__name__ = name
    builtin(name)(find_)
    return find_


memq = _finder("memq", eq, False, False)
memv = _finder("memv", eqv, False, False)
member = _finder("member", equal, False, True)
assq = _finder("assq", eq, True, False)
assv = _finder("assv", eqv, True, False)
assoc = _finder("assoc", equal, True, True)


def _lenient_assoc(key, alist, test):
    """Guile's assoc-ref & co. skip what is not an entry instead of complaining."""
    p = alist
    while type(p) is Pair:
        entry = p.car
        if type(entry) is Pair and test(key, entry.car):
            return entry
        p = p.cdr
    return False


def _alist_procedures(suffix: str, test):
    @builtin(f"ass{suffix}-ref")
    def ref(alist, key):
        entry = _lenient_assoc(key, alist, test)
        return False if entry is False else entry.cdr

    @builtin(f"ass{suffix}-set!")
    def set_(alist, key, value):
        entry = _lenient_assoc(key, alist, test)
        if entry is False:
            return Pair(Pair(key, value), alist)
        entry.cdr = value
        return alist

    @builtin(f"ass{suffix}-remove!")
    def remove_(alist, key):
        entry = _lenient_assoc(key, alist, test)
        if entry is False:
            return alist
        return from_list([e for e in _items(f"ass{suffix}-remove!", alist, 1)
                          if e is not entry])


_alist_procedures("q", eq)
_alist_procedures("v", eqv)
_alist_procedures("oc", equal)


def _sloppy(suffix: str, test):
    """sloppy-assq & co.: assq that skips elements which are not pairs."""
    def sloppy(key, alist):
        return _lenient_assoc(key, alist, test)
    builtin(f"sloppy-ass{suffix}")(sloppy)


_sloppy("q", eq)
_sloppy("v", eqv)
_sloppy("oc", equal)


@builtin("acons")
def acons(key, value, alist):
    return Pair(Pair(key, value), alist)


@builtin("alist-cons", SRFI1)
def alist_cons(key, value, alist):
    return Pair(Pair(key, value), alist)


@builtin("alist-copy", SRFI1)
def alist_copy(alist):
    return from_list([Pair(e.car, e.cdr) if type(e) is Pair else e
                      for e in _items("alist-copy", alist, 1)])


@builtin("alist-delete", SRFI1)
def alist_delete(key, alist, same=None):
    test = same_as(same)
    return from_list([e for e in _items("alist-delete", alist)
                      if not (type(e) is Pair and test(key, e.car))])


builtin("alist-delete!", SRFI1)(alist_delete)


# --- sets as lists (SRFI-1 lset-*) ---------------------------------------------------

def _contains(test, items: list, x) -> bool:
    """Whether X is in ITEMS, X being the second argument of the test."""
    return any(test(y, x) for y in items)


def _in(test, x, items: list) -> bool:
    """Whether X is in ITEMS, X being the first argument of the test: SRFI-1 calls
    (= X Y) with X from the earlier list of the call."""
    return any(test(x, y) for y in items)


def _lset_test(name: str, same):
    return same_as(need_proc(name, 1, same))


@builtin("lset-adjoin", SRFI1)
def lset_adjoin(same, lst, *elts):
    test = _lset_test("lset-adjoin", same)
    items = need_list("lset-adjoin", 2, lst)
    result = lst
    for x in elts:
        if not _contains(test, items, x):
            items.append(x)
            result = Pair(x, result)
    return result


@builtin("lset-union", SRFI1)
def lset_union(same, *lists):
    """As Guile's: an empty list adds nothing, and a list is not copied when the union
    so far is empty (or is that very list)."""
    test = _lset_test("lset-union", same)
    result = NIL
    items: list = []
    for i, lst in enumerate(lists, 2):
        new = need_list("lset-union", i, lst)
        if not new or lst is result:
            continue
        if result is NIL:
            result, items = lst, new
            continue
        for x in new:
            if not _contains(test, items, x):
                items.append(x)
                result = Pair(x, result)
    return result


@builtin("lset-intersection", SRFI1)
def lset_intersection(same, lst, *lists):
    test = _lset_test("lset-intersection", same)
    others = [need_list("lset-intersection", i, xs) for i, xs in enumerate(lists, 3)]
    return from_list([x for x in need_list("lset-intersection", 2, lst)
                      if all(_in(test, x, o) for o in others)])


@builtin("lset-difference", SRFI1)
def lset_difference(same, lst, *lists):
    test = _lset_test("lset-difference", same)
    others = [need_list("lset-difference", i, xs) for i, xs in enumerate(lists, 3)]
    return from_list([x for x in need_list("lset-difference", 2, lst)
                      if not any(_in(test, x, o) for o in others)])


@builtin("lset<=", SRFI1)
def lset_le(same, *lists):
    test = _lset_test("lset<=", same)
    sets = [need_list("lset<=", i, xs) for i, xs in enumerate(lists, 2)]
    return all(all(_in(test, x, b) for x in a) for a, b in zip(sets, sets[1:]))


@builtin("lset=", SRFI1)
def lset_eq(same, *lists):
    test = _lset_test("lset=", same)
    sets = [need_list("lset=", i, xs) for i, xs in enumerate(lists, 2)]
    return all(all(_in(test, x, b) for x in a) and all(_contains(test, a, y) for y in b)
               for a, b in zip(sets, sets[1:]))


@builtin("lset-xor", SRFI1)
def lset_xor(same, *lists):
    test = same_as(same)
    result: list = []
    for i, lst in enumerate(lists, 2):
        items = need_list("lset-xor", i, lst)
        kept = [x for x in result if not _contains(test, items, x)]
        result = kept + [x for x in items if not _contains(test, result, x)]
    return from_list(result)


@builtin("lset-diff+intersection", SRFI1)
def lset_diff_intersection(same, lst, *lists):
    """LST split in one pass: what no other list has, and what one of them has."""
    test = _lset_test("lset-diff+intersection", same)
    others = [need_list("lset-diff+intersection", i, xs) for i, xs in enumerate(lists, 3)]
    diff, inter = [], []
    for x in need_list("lset-diff+intersection", 2, lst):
        (inter if any(_in(test, x, o) for o in others) else diff).append(x)
    return Values((from_list(diff), from_list(inter)))


for _name, _fn in (("lset-union!", lset_union), ("lset-intersection!", lset_intersection),
                   ("lset-difference!", lset_difference), ("lset-xor!", lset_xor),
                   ("lset-diff+intersection!", lset_diff_intersection)):
    builtin(_name, SRFI1)(_fn)


@builtin("list=", SRFI1)
def list_eq(same, *lists):
    test = caller(same, 2, first=True)
    seqs = [need_list("list=", i, xs) for i, xs in enumerate(lists, 2)]
    return all(len(a) == len(b) and all(test(x, y) is not False for x, y in zip(a, b))
               for a, b in zip(seqs, seqs[1:]))


@builtin("circular-list", SRFI1)
def circular_list(first, *rest):
    head = from_list((first, *rest))
    last_pair(head).cdr = head
    return head


@builtin("pair-fold-right", SRFI1)
def pair_fold_right(kons, knil, lst, *more):
    tails = []
    ps = [lst, *more]
    while all(type(p) is Pair for p in ps):
        tails.append(ps)
        ps = [p.cdr for p in ps]
    acc = knil
    for ps in reversed(tails):
        acc = call1(kons, ps + [acc])
    return acc


def _unzip(n: int):
    def unzip(lst):
        rows = [need_list(f"unzip{n}", 1, row) for row in need_list(f"unzip{n}", 1, lst)]
        columns = [from_list([row[i] for row in rows]) for i in range(n)]
        return columns[0] if n == 1 else Values(tuple(columns))
    builtin(f"unzip{n}", SRFI1)(unzip)


for _n in range(1, 6):
    _unzip(_n)

builtin("append-reverse!", SRFI1)(append_reverse)
builtin("concatenate!", SRFI1)(concatenate)


# --- sorting -------------------------------------------------------------------------

_LESS = lookup("guile", "<")
_REALS = (int, float)


def sort_items(items: list, less) -> list:
    """A stable sort by a Scheme `less?` (Python's sort only ever asks `<`)."""
    if less is _LESS and all(type(x) in _REALS for x in items):
        return sorted(items)
    before = caller(less, 2)
    return sorted(items, key=cmp_to_key(lambda a, b: -1 if before(a, b) is not False else 0))


def _sequence(name: str, seq) -> list:
    if type(seq) is Vector:
        return list(seq)
    if seq is NIL or type(seq) is Pair:
        return need_list(name, 1, seq)
    items = rank1_items(name, seq)       # any other one-dimensional array
    if items is not None:
        return items
    raise wrong_type(name, 1, "list or vector", seq)


@builtin("sort")
def sort(seq, less):
    need_proc("sort", 2, less)
    items = sort_items(_sequence("sort", seq), less)
    if type(seq) is Vector:
        return Vector(items)
    return from_list(items) if seq is NIL or type(seq) is Pair else rank1_like(seq, items)


builtin("stable-sort")(sort)


@builtin("sort!")
def sort_(seq, less):
    need_proc("sort!", 2, less)
    items = sort_items(_sequence("sort!", seq), less)
    if type(seq) is Vector:
        need_mutable_vector("sort!", 1, seq)
        seq[:] = items
        return seq
    if seq is not NIL and type(seq) is not Pair:
        rank1_write("sort!", seq, items)
        return seq
    p = seq
    for x in items:                  # reuse the pairs, as Guile's sort! may
        p.car = x
        p = p.cdr
    return seq


builtin("stable-sort!")(sort_)


@builtin("restricted-vector-sort!")
def restricted_vector_sort(vec, less, start, end):
    """Sort the elements of VEC from START to just before END in place."""
    v = need_mutable_vector("restricted-vector-sort!", 1, vec)
    need_proc("restricted-vector-sort!", 2, less)
    a, b = need_range("restricted-vector-sort!", 3, len(v), start, end)
    v[a:b] = sort_items(v[a:b], less)
    return UNSPECIFIED


builtin("sort-list")(sort)
builtin("sort-list!")(sort_)


@builtin("list-sort", "rnrs sorting")
def list_sort(less, lst):
    need_proc("list-sort", 1, less)
    return from_list(sort_items(need_list("list-sort", 2, lst), less))


@builtin("sorted?")
def is_sorted(seq, less):
    items = _sequence("sorted?", seq)
    return all(call(less, [b, a]) is False for a, b in zip(items, items[1:]))


@builtin("merge")
def merge(a, b, less):
    xs, ys = need_list("merge", 1, a), need_list("merge", 2, b)
    out = []
    i = j = 0
    while i < len(xs) and j < len(ys):
        if call(less, [ys[j], xs[i]]) is not False:
            out.append(ys[j])
            j += 1
        else:
            out.append(xs[i])
            i += 1
    out.extend(xs[i:])
    out.extend(ys[j:])
    return from_list(out)


builtin("merge!")(merge)


# --- apply ---------------------------------------------------------------------------

@builtin("apply", tail=True)
def apply(proc, arg, *more):
    """Returns a tail call so that `(apply f ...)` in tail position stays proper."""
    spread = more[-1] if more else arg
    args = [arg, *more[:-1]] if more else []
    p = spread
    slow, steps = p, 0
    while type(p) is Pair:
        args.append(p.car)
        p = p.cdr
        steps += 1
        if not steps & 1:
            slow = slow.cdr
            if slow is p and type(p) is Pair:      # a circular list never ends
                raise error("Apply to non-list: a circular list", key="wrong-type-arg",
                            origin="apply")
    if p is not NIL:
        raise wrong_type("apply", len(more) + 2, "list", spread)
    return TailCall(proc, args)


# Guile's (srfi srfi-1) also exports the core procedures SRFI-1 extends or repeats.
reexport(SRFI1, "guile", " ".join([
    "make-list", "append", "append!", "assoc", "assq", "assv", "car", "cdr", "cons", "cons*",
    "iota", "last-pair", "length", "list", "list-ref",
    "member", "memq", "memv", "null?", "pair?", "reverse", "reverse!", "set-car!",
    "set-cdr!", *CXR_NAMES]))
