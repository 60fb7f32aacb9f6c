"""Numbers: arithmetic, comparison, division families, rounding, transcendental
functions and the conversions to and from text, with Guile's exactness rules.

Exact integers are `int`, exact rationals `Fraction` (normalized: never denominator 1),
inexact reals `float`, inexact complex numbers `complex`.  `bool` is an `int` subclass
in Python, so every check compares `type(x)` rather than using isinstance.
"""

from __future__ import annotations

import cmath
import math
import random as _random
from fractions import Fraction
from typing import Any

from ..datatypes import Values, from_list
from ..errors import Condition, SchemeError, out_of_range, wrong_type
from ..printer import float_text, write_string
from ..reader import NumberOutOfRange, parse_number
from .checks import checker, need_string
from .define import builtin, constant

_NUMBER = frozenset((int, float, Fraction, complex))
_REAL = frozenset((int, float, Fraction))
_EXACT = frozenset((int, Fraction))

R7 = ("rnrs base", "scheme base")


def numerical_overflow(origin: str) -> SchemeError:
    """Guile's error for a division by exact zero and friends."""
    return SchemeError(Condition("numerical-overflow", f"{origin}: numerical overflow", (),
                                 origin, throw_args=(origin, "Numerical overflow", False, False)))


def wrong_number(origin: str, pos: int, expected: str, value: Any) -> SchemeError:
    """A wrong-type error as Guile's arithmetic reports it: the catch arguments name
    the position but no expected type (the message for people still does)."""
    err = wrong_type(origin, pos, expected, value)
    err.payload.throw_args = (origin, "Wrong type argument in position ~A: ~S",
                              from_list([pos, value]), from_list([value]))
    return err


need_number = checker(_NUMBER, "number", wrong_number)
need_real = checker(_REAL, "real number", wrong_number)
need_exact_integer = checker((int,), "exact integer", wrong_number)


def need_integer(origin: str, pos: int, x: Any) -> Any:
    """An integer, exact or inexact (`(quotient 7.0 2)` is allowed)."""
    t = type(x)
    if t is int or (t is float and x.is_integer()):
        return x
    raise wrong_number(origin, pos, "integer", x)


def to_float(x: Any) -> float:
    """An exact real as the nearest float; too large for a float means infinity."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def inexact(x: Any) -> Any:
    t = type(x)
    if t is float or t is complex:
        return x
    return to_float(x)


def fix(x: Any) -> Any:
    """Canonical form of a result: integral rationals become ints, complex numbers with
    a zero imaginary part become reals."""
    t = type(x)
    if t is Fraction:
        return x.numerator if x.denominator == 1 else x
    if t is complex and x.imag == 0:
        return x.real
    return x


def exact(x: Any, origin: str = "inexact->exact") -> Any:
    t = type(x)
    if t is int or t is Fraction:
        return x
    if t is complex:
        if x.imag != 0:
            raise wrong_number(origin, 1, "real number", x)
        x = x.real
        t = float
    if t is float:
        if not math.isfinite(x):
            raise out_of_range(origin, 1, x)
        if x.is_integer():
            return int(x)
        return Fraction(x)
    raise wrong_number(origin, 1, "number", x)


# --- arithmetic ----------------------------------------------------------------------

def _binary(op, a: Any, b: Any) -> Any:
    try:
        return op(a, b)
    except OverflowError:      # a huge exact integer met a float
        return op(inexact(a), inexact(b))


def _add(a, b):
    return a + b


def _sub(a, b):
    return a - b


def _mul(a, b):
    return a * b


@builtin("+")
def add(*args):
    if len(args) == 2:
        a, b = args
        if type(a) is int and type(b) is int:
            return a + b
    total = 0
    for i, x in enumerate(args, 1):
        if type(x) not in _NUMBER:
            raise wrong_number("+", i, "number", x)
        total = _binary(_add, total, x)
    return fix(total)


@builtin("-")
def sub(first, *rest):
    if len(rest) == 1:
        b = rest[0]
        if type(first) is int and type(b) is int:
            return first - b
    need_number("-", 1, first)
    if not rest:
        return -first
    total = first
    for i, x in enumerate(rest, 2):
        if type(x) not in _NUMBER:
            raise wrong_number("-", i, "number", x)
        total = _binary(_sub, total, x)
    return fix(total)


@builtin("*")
def mul(*args):
    if len(args) == 2:
        a, b = args
        if type(a) is int and type(b) is int:
            return a * b
    total = 1
    for i, x in enumerate(args, 1):
        if type(x) not in _NUMBER:
            raise wrong_number("*", i, "number", x)
        total = _binary(_mul, total, x)
    return fix(total)


def divide(a: Any, b: Any) -> Any:
    """a / b for checked numbers, with Guile's treatment of zero divisors."""
    tb = type(b)
    if tb is int or tb is Fraction:
        if b == 0:
            raise numerical_overflow("/")
        ta = type(a)
        if ta is int and tb is int:
            q, r = divmod(a, b)
            return q if r == 0 else Fraction(a, b)
        if ta is int or ta is Fraction:
            return fix(Fraction(a) / b)
    try:
        return fix(inexact(a) / inexact(b))
    except ZeroDivisionError:   # float or complex zero divisor: IEEE results
        a = inexact(a)
        if type(a) is complex:
            return complex(math.nan, math.nan)
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b.real if tb is complex else b)


@builtin("/")
def div(first, *rest):
    need_number("/", 1, first)
    if not rest:
        return divide(1, first)
    total = first
    for i, x in enumerate(rest, 2):
        if type(x) not in _NUMBER:
            raise wrong_number("/", i, "number", x)
        total = divide(total, x)
    return total


@builtin("1+")
def one_plus(x):
    if type(x) is int:
        return x + 1
    return fix(_binary(_add, need_number("1+", 1, x), 1))


@builtin("1-")
def one_minus(x):
    if type(x) is int:
        return x - 1
    return fix(_binary(_sub, need_number("1-", 1, x), 1))


# --- comparison ----------------------------------------------------------------------

def _comparison(name: str, test, kinds: frozenset, what: str):
    def compare(*args):
        if len(args) == 2:
            a, b = args
            if type(a) is int and type(b) is int:
                return test(a, b)
        for i, x in enumerate(args, 1):
            if type(x) not in kinds:
                raise wrong_number(name, i, what, x)
        for a, b in zip(args, args[1:]):
            if not test(a, b):
                return False
        return True
    compare.__name__ = name
    builtin(name)(compare)
    return compare


num_eq = _comparison("=", lambda a, b: a == b, _NUMBER, "number")
num_lt = _comparison("<", lambda a, b: a < b, _REAL, "real number")
num_gt = _comparison(">", lambda a, b: a > b, _REAL, "real number")
num_le = _comparison("<=", lambda a, b: a <= b, _REAL, "real number")
num_ge = _comparison(">=", lambda a, b: a >= b, _REAL, "real number")


@builtin("max")
def max_(first, *rest):
    # -0.0 and 0.0 are equal, yet max prefers 0.0 and min -0.0, as Guile
    return _extreme("max", first, rest,
                    lambda a, b: b > a or (b == 0 == a and math.copysign(1, a) < 0))


@builtin("min")
def min_(first, *rest):
    return _extreme("min", first, rest,
                    lambda a, b: b < a or (b == 0 == a and math.copysign(1, b) < 0))


def _extreme(origin, first, rest, better):
    best = need_real(origin, 1, first)
    inexact_seen = type(first) is float
    for i, x in enumerate(rest, 2):
        need_real(origin, i, x)
        inexact_seen = inexact_seen or type(x) is float
        if better(best, x) or (type(x) is float and math.isnan(x)):
            best = x
    return to_float(best) if inexact_seen else best


# --- predicates ----------------------------------------------------------------------

@builtin("number?")
def is_number_(x):
    return type(x) in _NUMBER


builtin("complex?")(is_number_)


@builtin("real?")
def is_real(x):
    return type(x) in _REAL


@builtin("rational?")
def is_rational(x):
    t = type(x)
    return t is int or t is Fraction or (t is float and math.isfinite(x))


@builtin("integer?")
def is_integer(x):
    t = type(x)
    return t is int or (t is float and x.is_integer())


@builtin("exact-integer?")
def is_exact_integer(x):
    return type(x) is int


@builtin("exact?")
def is_exact_(x):
    return type(need_number("exact?", 1, x)) in _EXACT


@builtin("inexact?")
def is_inexact(x):
    return type(need_number("inexact?", 1, x)) not in _EXACT


@builtin("nan?")
def is_nan(x):
    return type(need_real("nan?", 1, x)) is float and math.isnan(x)


@builtin("inf?")
def is_inf(x):
    return type(need_real("inf?", 1, x)) is float and math.isinf(x)


@builtin("finite?")
def is_finite(x):
    return type(need_real("finite?", 1, x)) is not float or math.isfinite(x)


@builtin("zero?")
def is_zero(x):
    if type(x) is int:
        return x == 0
    return need_number("zero?", 1, x) == 0


@builtin("positive?")
def is_positive(x):
    return need_real("positive?", 1, x) > 0


@builtin("negative?")
def is_negative(x):
    return need_real("negative?", 1, x) < 0


@builtin("odd?")
def is_odd(x):
    if type(x) is int:
        return x & 1 == 1
    return need_integer("odd?", 1, x) % 2 == 1


@builtin("even?")
def is_even(x):
    if type(x) is int:
        return x & 1 == 0
    return need_integer("even?", 1, x) % 2 == 0


# --- exactness -----------------------------------------------------------------------

@builtin("exact->inexact")
def exact_to_inexact(x):
    return inexact(need_number("exact->inexact", 1, x))


@builtin("inexact->exact")
def inexact_to_exact(x):
    return exact(x)


@builtin("inexact", *R7)
def inexact_(x):
    return inexact(need_number("inexact", 1, x))


@builtin("exact", *R7)
def exact_(x):
    return exact(x, "exact")


@builtin("numerator")
def numerator(x):
    t = type(need_real("numerator", 1, x))
    if t is int:
        return x
    if t is Fraction:
        return x.numerator
    if not math.isfinite(x) or x.is_integer():
        return x
    return float(Fraction(x).numerator)


@builtin("denominator")
def denominator(x):
    t = type(need_real("denominator", 1, x))
    if t is int:
        return 1
    if t is Fraction:
        return x.denominator
    if not math.isfinite(x) or x.is_integer():
        return 1.0
    return float(Fraction(x).denominator)


# --- integer division ----------------------------------------------------------------

def _exact_quotient(mode: str, n, d):
    if mode == "floor":
        return n // d if type(n) is int and type(d) is int else math.floor(Fraction(n) / d)
    q = Fraction(n) / d
    if mode == "truncate":
        return math.trunc(q)
    if mode == "ceiling":
        return math.ceil(q)
    if mode == "round":
        return round(q)
    if mode == "euclidean":
        return math.floor(q) if d > 0 else math.ceil(q)
    return math.floor(q + Fraction(1, 2))          # centered


def _float_quotient(mode: str, n: float, d: float) -> float:
    if mode == "floor":
        return divmod(n, d)[0]
    if mode == "truncate":
        return float(math.trunc(n / d)) if math.isfinite(n / d) else n / d
    q = n / d
    if not math.isfinite(q):
        return q
    if mode == "ceiling":
        return float(math.ceil(q))
    if mode == "round":
        return float(round(q))
    if mode == "euclidean":
        return float(math.floor(q) if d > 0 else math.ceil(q))
    return float(math.floor(q + 0.5))


def divide_with(mode: str, origin: str, n, d, integers: bool = False):
    """(quotient, remainder) of n by d, the quotient rounded as `mode` says."""
    check = need_integer if integers else need_real
    check(origin, 1, n)
    check(origin, 2, d)
    if d == 0:
        raise numerical_overflow(origin)
    if type(n) in _EXACT and type(d) in _EXACT:
        q = _exact_quotient(mode, n, d)
        return q, fix(n - q * d)
    n, d = to_float(n), to_float(d)
    if not (math.isfinite(n) and math.isfinite(d)):
        # Guile: the quotient rounds n/d (keeping the sign of a zero), and the
        # remainder n - q*d is then a NaN
        q = n / d
        if math.isfinite(q):
            q = math.copysign(float(_float_quotient(mode, q, 1.0)), q)
        return q, n - q * d
    q = _float_quotient(mode, n, d)
    if mode == "truncate":
        return q, math.fmod(n, d)
    if mode == "floor":
        return q, divmod(n, d)[1]
    return q, n - q * d


def _division_family(mode: str):
    both = f"{mode}/"

    @builtin(both)
    def qr(n, d):
        return Values(divide_with(mode, both, n, d))

    @builtin(f"{mode}-quotient")
    def quotient_(n, d):
        return divide_with(mode, f"{mode}-quotient", n, d)[0]

    @builtin(f"{mode}-remainder")
    def remainder_(n, d):
        return divide_with(mode, f"{mode}-remainder", n, d)[1]


for _mode in ("floor", "ceiling", "truncate", "euclidean", "round", "centered"):
    _division_family(_mode)


@builtin("quotient")
def quotient(n, d):
    if type(n) is int and type(d) is int and d > 0 and n >= 0:
        return n // d
    return divide_with("truncate", "quotient", n, d, integers=True)[0]


@builtin("remainder")
def remainder(n, d):
    return divide_with("truncate", "remainder", n, d, integers=True)[1]


@builtin("modulo")
def modulo(n, d):
    if type(n) is int and type(d) is int and d != 0:
        return n % d
    return divide_with("floor", "modulo", n, d, integers=True)[1]


def _integers(origin: str, args) -> tuple[list, bool]:
    vals = []
    inexact_seen = False
    for i, x in enumerate(args, 1):
        need_integer(origin, i, x)
        inexact_seen = inexact_seen or type(x) is float
        vals.append(int(x))
    return vals, inexact_seen


@builtin("gcd")
def gcd(*args):
    vals, inexact_seen = _integers("gcd", args)
    result = math.gcd(*vals) if vals else 0
    return float(result) if inexact_seen else result


@builtin("lcm")
def lcm(*args):
    vals, inexact_seen = _integers("lcm", args)
    result = math.lcm(*vals) if vals else 1
    return float(result) if inexact_seen else result


@builtin("abs")
def abs_(x):
    return abs(need_real("abs", 1, x))


@builtin("magnitude")
def magnitude(x):
    return abs(need_number("magnitude", 1, x))


# --- rounding ------------------------------------------------------------------------

def _rounding(name: str, exact_fn):
    def rounder(x):
        t = type(x)
        if t is int:
            return x
        if t is Fraction:
            return exact_fn(x)
        if t is float:
            if not math.isfinite(x) or x == 0:
                return x
            result = float(exact_fn(x))
            # a zero result keeps the argument's sign (ceiling of -0.5 is -0.0), except
            # in round, where Guile's arithmetic gives +0.0 for -0.5 and -0.4
            if result == 0 and exact_fn is not _round_half_even:
                return math.copysign(0.0, x)
            return result
        raise wrong_number(name, 1, "real number", x)
    rounder.__name__ = name
    builtin(name)(rounder)
    return rounder


def _round_half_even(x):
    """Fractions: Python's round is already half-to-even.  Floats: Guile's way, from
    the floor and the distance to it, which keeps the sign of zero as Guile does."""
    if type(x) is Fraction:
        return round(x)
    low = math.floor(x)
    diff = x - low
    return low + 1 if diff > 0.5 or (diff == 0.5 and low % 2 == 1) else low


floor = _rounding("floor", math.floor)
ceiling = _rounding("ceiling", math.ceil)
round_ = _rounding("round", _round_half_even)
truncate = _rounding("truncate", math.trunc)


# --- powers and roots ----------------------------------------------------------------

@builtin("expt")
def expt(base, power):
    need_number("expt", 1, base)
    need_number("expt", 2, power)
    if type(power) is int:
        if power == 0:
            return 1
        if type(base) in _EXACT:
            # A fraction's power grows in its denominator as an integer's does.
            size = max(abs(base.numerator).bit_length(), base.denominator.bit_length())
            if abs(base) not in (0, 1) and abs(power) * size > MAX_BITS:
                raise numerical_overflow("expt")
            if power >= 0:
                return base ** power
            if base == 0:
                return math.nan
            return fix(Fraction(1) / Fraction(base) ** -power)
        return _power_by_squaring(base, power)
    b, p = inexact(base), inexact(power)
    try:
        if b == 0 and type(p) is float and p < 0:
            return math.nan
        if type(b) is float and b < 0 and type(p) is float and not p.is_integer():
            # Guile's way: exp(p log b), with the principal complex log of b
            return fix(cmath.exp(cmath.log(b) * p))
        return fix(b ** p)
    except OverflowError:
        return math.inf
    except ZeroDivisionError:
        return math.inf


@builtin("integer-expt")
def integer_expt(base, power):
    need_number("integer-expt", 1, base)
    need_exact_integer("integer-expt", 2, power)
    return expt(base, power)


@builtin("modulo-expt")
def modulo_expt(base, power, modulus):
    b = need_exact_integer("modulo-expt", 1, base)
    e = need_exact_integer("modulo-expt", 2, power)
    m = need_exact_integer("modulo-expt", 3, modulus)
    if m == 0:
        raise numerical_overflow("modulo-expt")
    try:
        return pow(b, e, m)
    except ValueError:          # a negative power of a number with no inverse
        raise wrong_number("modulo-expt", 1, "invertible integer", base) from None


@builtin("inf")
def inf():
    return math.inf


@builtin("nan")
def nan():
    return math.nan


@builtin("rationalize")
def rationalize(x, eps):
    """The simplest rational within `eps` of `x` (inexact if either argument is)."""
    need_real("rationalize", 1, x)
    need_real("rationalize", 2, eps)
    if type(x) is float or type(eps) is float:
        if not math.isfinite(eps):
            return math.nan if math.isnan(eps) or not math.isfinite(x) else 0.0
        if not math.isfinite(x):
            return x
        return to_float(rationalize(exact(x), exact(eps)))
    lo, hi = Fraction(x) - abs(eps), Fraction(x) + abs(eps)
    if lo <= 0 <= hi:
        return 0
    sign = 1 if lo > 0 else -1
    lo, hi = (lo, hi) if sign > 0 else (-hi, -lo)
    return fix(sign * _simplest_between(lo, hi))


def _simplest_between(lo: Fraction, hi: Fraction) -> Fraction:
    """The rational with the smallest denominator in [lo, hi], 0 < lo <= hi, found by
    walking the continued fractions of both ends."""
    whole = math.floor(lo)
    if whole == lo:
        return Fraction(whole)
    if whole < math.floor(hi):
        return Fraction(whole + 1)
    return whole + 1 / _simplest_between(1 / (hi - whole), 1 / (lo - whole))


constant("most-positive-fixnum", (1 << 61) - 1)
constant("most-negative-fixnum", -(1 << 61))


@builtin("square", "scheme base")
def square(x):
    need_number("square", 1, x)
    return fix(_binary(_mul, x, x))


def _power_by_squaring(base, k: int):
    """An inexact base to an exact integer power the way Guile computes it (by
    squaring), so that the last digits agree with Guile's."""
    if k < 0:
        base = divide(1, base)
        k = -k
    acc: Any = 1
    try:
        while k:
            if k & 1:
                acc = acc * base
            k >>= 1
            if k:
                base = base * base
    except OverflowError:
        return math.inf
    return fix(acc)


def _exact_sqrt(n: int):
    """The square root of a non-negative exact integer: exact when it is a square."""
    r = math.isqrt(n)
    return r if r * r == n else None


def _scaled_sqrt(n: int, d: int) -> float:
    """sqrt(N/D) for N/D beyond the range of a float: N/D scaled by an even power of two
    into range (rounded once, to the nearest float), rooted, and scaled back."""
    e = n.bit_length() - d.bit_length()
    shift = e - 1000 if e > 1000 else (e + 1000 if e < -1000 else 0)
    shift += shift % 2
    scaled = Fraction(n, d << shift) if shift >= 0 else Fraction(n << -shift, d)
    try:
        return math.ldexp(math.sqrt(float(scaled)), shift // 2)
    except OverflowError:
        return math.inf


@builtin("sqrt")
def sqrt(x):
    t = type(need_number("sqrt", 1, x))
    if t is int or t is Fraction:
        if x < 0:
            root = sqrt(-x)
            return complex(0.0, inexact(root))
        if t is int:
            r = _exact_sqrt(x)
        else:
            rn, rd = _exact_sqrt(x.numerator), _exact_sqrt(x.denominator)
            r = Fraction(rn, rd) if rn is not None and rd is not None else None
        if r is not None:
            return r
        if t is int:
            # as Guile: the root of X's float while X has one, else of X itself
            return _scaled_sqrt(x, 1) if x.bit_length() > 1024 else math.sqrt(x)
        f = to_float(x)
        if f == 0.0 or f == math.inf:
            return _scaled_sqrt(x.numerator, x.denominator)
        return math.sqrt(f)
    if t is float:
        return math.sqrt(x) if x >= 0 or math.isnan(x) else complex(0.0, math.sqrt(-x))
    return fix(cmath.sqrt(x))


@builtin("exact-integer-sqrt")
def exact_integer_sqrt(n):
    if type(n) is not int or n < 0:
        raise wrong_type("exact-integer-sqrt", 1, "exact non-negative integer", n)
    r = math.isqrt(n)
    return Values((r, n - r * r))


# --- transcendental functions -------------------------------------------------------

def _transcendental(name: str, real_fn, complex_fn, exact_zero=None, domain=None):
    """Define `name`; `exact_zero` is the exact result Guile gives for an exact 0 (or,
    for acos, the exact argument 1); outside `domain` the complex function is used."""
    def fn(x):
        t = type(need_number(name, 1, x))
        if exact_zero is not None and t is int and x == exact_zero[0]:
            return exact_zero[1]
        if t is complex:
            try:
                return fix(complex_fn(x))
            except ValueError:
                return complex(math.nan, math.inf)
        xf = to_float(x)
        try:
            if domain is not None and not domain(xf):
                return fix(complex_fn(complex(xf)))
            return real_fn(xf)
        except OverflowError:
            return math.inf
        except ValueError:            # a pole, such as (atanh 1)
            return _pole(name, xf)
    fn.__name__ = name
    builtin(name)(fn)
    return fn


def _pole(name: str, x: float) -> float:
    if name == "atanh" and abs(x) == 1:
        return math.copysign(math.inf, x)
    return math.nan


exp = _transcendental("exp", math.exp, cmath.exp)
sin = _transcendental("sin", math.sin, cmath.sin, (0, 0))
cos = _transcendental("cos", math.cos, cmath.cos, (0, 1))
tan = _transcendental("tan", math.tan, cmath.tan, (0, 0))
asin = _transcendental("asin", math.asin, cmath.asin, (0, 0), lambda v: -1 <= v <= 1)
acos = _transcendental("acos", math.acos, cmath.acos, (1, 0), lambda v: -1 <= v <= 1)
sinh = _transcendental("sinh", math.sinh, cmath.sinh, (0, 0))
asinh = _transcendental("asinh", math.asinh, cmath.asinh, (0, 0))
acosh = _transcendental("acosh", math.acosh, cmath.acosh, (1, 0), lambda v: v >= 1)
atanh = _transcendental("atanh", math.atanh, cmath.atanh, (0, 0), lambda v: -1 <= v <= 1)
cosh = _transcendental("cosh", math.cosh, cmath.cosh, (0, 1))
tanh = _transcendental("tanh", math.tanh, cmath.tanh, (0, 0))


def _log1(x):
    t = type(need_number("log", 1, x))
    if t is complex:
        return fix(cmath.log(x))
    if t in _EXACT and x == 0:
        raise numerical_overflow("log")
    if x < 0:
        if t in _EXACT:     # exact: may be beyond the range of a float
            return fix(complex(_log1(-x), math.pi))
        return fix(cmath.log(complex(x)))
    if x == 0:
        return -math.inf
    # math.log copes with huge ints itself; a huge Fraction goes through its parts
    if t is Fraction:
        return math.log(x.numerator) - math.log(x.denominator)
    return math.log(x)


@builtin("log")
def log(z):
    return _log1(z)


@builtin("log", "rnrs base", "scheme inexact")
def log_base(z, base=None):
    """R6RS and R7RS add an optional base; Guile's core `log` takes one argument."""
    if base is None:
        return _log1(z)
    return divide(_log1(z), _log1(base))


@builtin("log10")
def log10(z):
    if type(z) in _REAL and z > 0:
        if type(z) is Fraction:     # its parts: the quotient may not fit a float
            return math.log10(z.numerator) - math.log10(z.denominator)
        return math.log10(z)
    return divide(_log1(z), math.log(10))


@builtin("atan")
def atan(y, x=None):
    if x is None:
        t = type(need_number("atan", 1, y))
        if t is int and y == 0:
            return 0
        if t is complex:
            try:
                return fix(cmath.atan(y))
            except ValueError:        # the poles +i and -i
                return complex(math.nan, math.inf)
        return math.atan(to_float(y))
    need_real("atan", 1, y)
    need_real("atan", 2, x)
    return math.atan2(to_float(y), to_float(x))


@builtin("real-part")
def real_part(z):
    return need_number("real-part", 1, z).real if type(z) is complex else z


@builtin("imag-part")
def imag_part(z):
    return need_number("imag-part", 1, z).imag if type(z) is complex else 0


@builtin("make-rectangular")
def make_rectangular(re_, im):
    need_real("make-rectangular", 1, re_)
    need_real("make-rectangular", 2, im)
    if type(im) is int and im == 0:
        return re_
    return complex(to_float(re_), to_float(im))


@builtin("make-polar")
def make_polar(mag, ang):
    need_real("make-polar", 1, mag)
    need_real("make-polar", 2, ang)
    if type(mag) is int and mag == 0:
        return 0
    if type(ang) is int and ang == 0:
        return mag
    return complex(cmath.rect(to_float(mag), to_float(ang)))


@builtin("angle")
def angle(z):
    t = type(need_number("angle", 1, z))
    if t is complex:
        return cmath.phase(z)
    negative = math.copysign(1.0, z) < 0 if t is float else z < 0
    return math.pi if negative else 0.0


# --- bitwise operations on exact integers -------------------------------------------

def _bitwise(name: str, op, identity: int):
    def fn(*args):
        result = identity
        for i, x in enumerate(args, 1):
            result = op(result, need_exact_integer(name, i, x))
        return result
    fn.__name__ = name
    builtin(name)(fn)


_bitwise("logand", lambda a, b: a & b, -1)
_bitwise("logior", lambda a, b: a | b, 0)
_bitwise("logxor", lambda a, b: a ^ b, 0)


@builtin("lognot")
def lognot(n):
    return ~need_exact_integer("lognot", 1, n)


@builtin("logtest")
def logtest(a, b):
    return need_exact_integer("logtest", 1, a) & need_exact_integer("logtest", 2, b) != 0


@builtin("logbit?")
def logbit(index, n):
    i = need_exact_integer("logbit?", 1, index)
    if i < 0:
        raise out_of_range("logbit?", 1, index)
    return (need_exact_integer("logbit?", 2, n) >> i) & 1 == 1


# Results needing more bits than this are refused, as Guile refuses them, rather than
# exhausting memory.
MAX_BITS = 1 << 32


@builtin("ash")
def ash(n, count):
    n = need_exact_integer("ash", 1, n)
    c = need_exact_integer("ash", 2, count)
    if c < 0:
        return n >> -c if -c < MAX_BITS else (-1 if n < 0 else 0)
    if n and c >= MAX_BITS:
        raise numerical_overflow("ash")
    return n << c


@builtin("round-ash")
def round_ash(n, count):
    n = need_exact_integer("round-ash", 1, n)
    c = need_exact_integer("round-ash", 2, count)
    if c >= 0:
        if n and c >= MAX_BITS:
            raise numerical_overflow("round-ash")
        return n << c
    if -c > n.bit_length() + 1:     # |n| / 2^-c < 1/2: rounds to 0
        return 0
    return round(Fraction(n, 1 << -c))


@builtin("logcount")
def logcount(n):
    n = need_exact_integer("logcount", 1, n)
    return bin(n if n >= 0 else ~n).count("1")


@builtin("integer-length")
def integer_length(n):
    n = need_exact_integer("integer-length", 1, n)
    return (n if n >= 0 else ~n).bit_length()


@builtin("random")
def random(n, state=None):
    t = type(n)
    rng = getattr(state, "rng", _random)     # a random state's generator
    if t is int and n > 0:
        return rng.randrange(n)
    if t is float and n > 0:
        return rng.random() * n
    raise wrong_type("random", 1, "positive number", n)


# --- numbers as text -----------------------------------------------------------------

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _int_to_string(n: int, radix: int) -> str:
    if radix == 10:
        return write_string(n)       # copes with ints beyond Python's str() limit
    if radix == 16:
        return format(n, "x")
    if radix == 2:
        return format(n, "b")
    if radix == 8:
        return format(n, "o")
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = []
    while n:
        n, d = divmod(n, radix)
        out.append(_DIGITS[d])
    return sign + "".join(reversed(out))


def _shortest_digits(v: float, radix: int) -> tuple[str, int]:
    """The shortest digits that read back as `v` (> 0) in `radix`, and the position k
    of the point: v ~ 0.DIGITS * radix**k."""
    # Free-format generation (Steele & White / Burger & Dybvig) with exact integers.
    mant, e = math.frexp(v)
    f = int(mant * (1 << 53))
    e -= 53
    if e < -1074:
        f >>= -1074 - e
        e = -1074
    unequal_gaps = f == 1 << 52 and e > -1074
    if e >= 0:
        r, s, m_plus, m_minus = f << (e + 1), 2, 1 << e, 1 << e
        if unequal_gaps:
            r, s, m_plus = r << 1, 4, m_plus << 1
    else:
        r, s, m_plus, m_minus = f << 1, 1 << (1 - e), 1, 1
        if unequal_gaps:
            r, s, m_plus = r << 1, s << 1, 2
    even = f % 2 == 0
    k = 0
    while (r + m_plus > s) if not even else (r + m_plus >= s):
        s *= radix
        k += 1
    while ((r + m_plus) * radix <= s) if not even else ((r + m_plus) * radix < s):
        r, m_plus, m_minus = r * radix, m_plus * radix, m_minus * radix
        k -= 1
    out = []
    while True:
        d, r = divmod(r * radix, s)
        m_plus *= radix
        m_minus *= radix
        low = r < m_minus if not even else r <= m_minus
        high = r + m_plus > s if not even else r + m_plus >= s
        if low and high:
            d += 1 if 2 * r >= s and (2 * r > s or d % 2 == 1) else 0
        elif high:
            d += 1
        out.append(_DIGITS[d])
        if low or high:
            break
    return "".join(out), k


def _float_to_string(x: float, radix: int = 10) -> str:
    """Guile's layout: positional unless that needs more than three padding zeros
    (for large numbers from 1e7 on) or the number is below 1e-3.  Base 10 is the
    printer's business; other radixes are laid out here the same way."""
    if radix == 10:
        return float_text(x)
    if math.isnan(x):
        return "+nan.0"
    if math.isinf(x):
        return "+inf.0" if x > 0 else "-inf.0"
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0:
        return sign + "0.0"
    digits, k = _shortest_digits(abs(x), radix)
    expon = k - 1
    n = len(digits)
    if k <= -3:
        text = digits[0] + "." + (digits[1:] or "0")
        return f"{sign}{text}e{_int_to_string(expon, radix)}"
    if k <= 0:
        return f"{sign}0.{'0' * -k}{digits}"
    if n >= k:
        return f"{sign}{digits[:k]}.{digits[k:] or '0'}"
    pad = k - n
    if expon >= 7 and pad >= 4 and expon >= pad:
        return f"{sign}{digits[0]}.{digits[1:] or '0'}e{_int_to_string(expon, radix)}"
    return f"{sign}{digits}{'0' * pad}.0"


def number_to_string(x: Any, radix: int = 10) -> str:
    """The external representation Guile's `number->string` and printer produce."""
    t = type(x)
    if t is int:
        return _int_to_string(x, radix)
    if t is float:
        return _float_to_string(x, radix)
    if t is Fraction:
        return f"{_int_to_string(x.numerator, radix)}/{_int_to_string(x.denominator, radix)}"
    if t is complex:
        im = _float_to_string(x.imag, radix)
        joiner = "+" if math.copysign(1.0, x.imag) > 0 and math.isfinite(x.imag) else ""
        return f"{_float_to_string(x.real, radix)}{joiner}{im}i"
    raise TypeError(f"not a number: {x!r}")


@builtin("number->string")
def number_to_string_(n, radix=10):
    need_number("number->string", 1, n)
    if type(radix) is not int:
        raise wrong_type("number->string", 2, "exact integer", radix)
    if not 2 <= radix <= 36:
        raise out_of_range("number->string", 2, radix)
    return number_to_string(n, radix)


@builtin("string->number")
def string_to_number(s, radix=10):
    text = need_string("string->number", 1, s)
    if type(radix) is not int:
        raise wrong_type("string->number", 2, "exact integer", radix)
    if not 2 <= radix <= 36:
        raise out_of_range("string->number", 2, radix)
    try:
        value = parse_number(text, radix)
    except NumberOutOfRange:
        raise out_of_range("string->number", 1, s) from None
    return False if value is None else value
