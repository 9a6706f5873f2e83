"""Shared helpers for the fastrelu test suite.

Everything here is driven by the registry (``fastrelu._spec.ACTIVATIONS``): a new
row is picked up by every test automatically, and fails loudly if it has no
hand-written twin in ``fastrelu._reference.REFERENCES``.

Expected values always come from the twins (``fastrelu._reference``) or from
literal values written in the tests, never from fastrelu's own ufuncs.

How results are compared
------------------------
* integer results and piecewise-linear float results: bit-exact (any NaN
  equals any NaN; +0.0 and -0.0 are different);
* the other float results (``ulp_bound`` in the spec): within ``ceil(ulp_bound)``
  steps (``np.nextafter``) of the correctly rounded twin, NaN exactly where the
  twin has NaN, and the sign of a zero result as in the twin.  A ``_backward``
  is ``dy * grad`` rounded in the output type, with ``grad`` itself allowed its
  bound: the accepted interval is ``dy * [grad stepped down, grad stepped up]``
  widened by one step for the product's rounding.

Floating-point flags
--------------------
Calls run under ``np.errstate(all="raise")``.  The only flags let through are
the ones the contract allows: "invalid" where the exact result is NaN although
no input is NaN (``0 * inf``), and "overflow" where the exact result is infinite
although every input is finite.  Everything else (spurious invalid from NaN
compares, underflow, divide) is an error.
"""

import functools
import math
import zlib

import numpy as np
import pytest

import fastrelu
from fastrelu import _spec
from fastrelu._reference import REFERENCES

def pytest_configure(config):
    # A third-party import made while hypothesis reports a failing example warns;
    # it has nothing to do with fastrelu and must not mask the real failure.
    config.addinivalue_line(
        "filterwarnings", "ignore:mypy_extensions.TypedDict is deprecated:DeprecationWarning")


# ---------------------------------------------------------------------------
# The test matrix, from the registry
# ---------------------------------------------------------------------------

ACTIVATIONS = _spec.ACTIVATIONS
DIRECTIONS = _spec.DIRECTIONS
FLOAT_CHARS = "efdg"


def type_label(tchar):
    # 'l' and 'q' are both int64 on LP64; keep their labels apart
    return {"q": "longlong", "Q": "ulonglong"}.get(tchar, np.dtype(tchar).name)


class Case:
    """One (activation, direction, loop type) of the registry."""

    def __init__(self, act, direction, tchar):
        self.act = act
        self.direction = direction
        self.tchar = tchar
        self.dtype = np.dtype(tchar)
        self.name = act.ufunc_name(direction)
        self.inputs = act.inputs(direction)
        self.ndata = 2 if direction == "backward" else 1  # dy, x are data
        self.nparams = len(act.params)

    @property
    def id(self):
        return f"{self.name}-{type_label(self.tchar)}"

    @property
    def ufunc(self):
        return getattr(fastrelu, self.name)

    @property
    def ref(self):
        return reference(self.act, self.direction)

    @property
    def is_float(self):
        return self.tchar in FLOAT_CHARS

    @property
    def steps(self):
        return ulp_steps(self.act, self.dtype)

    def __repr__(self):
        return f"Case({self.id})"


def reference(act, direction):
    """The hand-written twin; a spec row without one is a test failure."""
    if act.name not in REFERENCES:
        pytest.fail(f"activation {act.name!r} has no hand-written twin in "
                    "fastrelu._reference.REFERENCES")
    return REFERENCES[act.name].direction(direction)


def ulp_steps(act, dtype):
    """Allowed distance in nextafter steps from the correctly rounded twin.

    The spec's ``ulp_bound`` is the contract for float32 and float64; float16 is
    computed in float32 and rounded once, which stays within it.  Long double
    has no accuracy contract (DESIGN §1.3 names float32/float64 only): its
    loops get one extra step.
    """
    dt = np.dtype(dtype)
    if dt.kind in "iu" or act.piecewise_linear:
        return 0
    steps = int(math.ceil(act.ulp_bound))
    return steps + 1 if dt == np.longdouble and dt != np.float64 else steps


CASES = [Case(act, d, t) for act in ACTIVATIONS for d in DIRECTIONS for t in act.types(d)]
FLOAT_CASES = [c for c in CASES if c.is_float]


def case_params(cases=None):
    cases = CASES if cases is None else cases
    return [pytest.param(c, id=c.id) for c in cases]


def ufunc_params():
    return [pytest.param(act, d, id=act.ufunc_name(d)) for act in ACTIVATIONS for d in DIRECTIONS]


def samples(act):
    """Parameter tuples for tests (the first one is the usual value)."""
    if act.name not in REFERENCES:
        pytest.fail(f"activation {act.name!r} has no entry in fastrelu._reference.REFERENCES")
    s = REFERENCES[act.name].samples
    assert all(len(t) == len(act.params) for t in s), \
        f"{act.name}: reference samples do not match the spec's parameters"
    return s


def seed_for(*parts):
    return zlib.crc32("/".join(map(str, parts)).encode())


# ---------------------------------------------------------------------------
# Input values
# ---------------------------------------------------------------------------

def float_specials(dtype):
    """Values the special-value policy talks about, in dtype."""
    dt = np.dtype(dtype)
    t = dt.type
    fi = np.finfo(dt)
    inf = t(np.inf)
    sub = fi.smallest_subnormal
    vals = [0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan,
            1.0, -1.0, 0.5, -0.5, 3.0, -3.0, 6.0, -6.0, 2.0, 7.5, -7.5,
            np.nextafter(t(6), inf), np.nextafter(t(6), -inf),
            sub, -sub, sub * 3, -sub * 3,
            fi.smallest_normal, -fi.smallest_normal,
            fi.smallest_normal - sub, -(fi.smallest_normal - sub),
            fi.max, -fi.max, fi.max / 4, -fi.max / 4,
            np.nextafter(t(0), inf), np.nextafter(t(0), -inf),
            t(1e-3), -t(1e-3), t(40.0), -t(40.0), -t(120.0), -t(800.0), -t(12000.0)]
    with np.errstate(all="ignore"):
        return np.array([t(v) for v in vals], dtype=dt)


def float_values(dtype, n, rng, special_fraction=0.25):
    """n values of dtype: specials, ordinary values, the whole exponent range."""
    dt = np.dtype(dtype)
    fi = np.finfo(dt)
    with np.errstate(all="ignore"):
        spec = float_specials(dt)
        parts = [
            rng.normal(0.0, 4.0, n),
            rng.uniform(-8.0, 8.0, n),
            -rng.exponential(10.0, n),
            rng.choice([0.0, 6.0, -3.0, 3.0], n) + rng.normal(0, 1e-3, n),
        ]
        ordinary = np.concatenate(parts).astype(dt)
        # magnitudes over the whole exponent range, random signs
        mant = rng.uniform(0.5, 1.0, n).astype(dt)
        expo = rng.integers(fi.minexp - fi.nmant, fi.maxexp, n)
        wide = np.ldexp(mant, expo) * rng.choice([-1, 1], n).astype(dt)
        ordinary = np.concatenate([ordinary, wide.astype(dt)])
        out = rng.choice(ordinary, n)
        nspec = int(n * special_fraction)
        pos = rng.choice(n, nspec, replace=False)
        out[pos] = rng.choice(spec, nspec)
        # every special at least once, at a random place
        if n >= 2 * len(spec):
            where = rng.choice(n, len(spec), replace=False)
            out[where] = spec
        return out.astype(dt)


def int_values(dtype, n, rng):
    dt = np.dtype(dtype)
    ii = np.iinfo(dt)
    out = rng.integers(ii.min, ii.max, n, endpoint=True, dtype=dt)
    small = rng.integers(max(ii.min, -10), 12, n).astype(dt)
    out = np.where(rng.random(n) < 0.5, small, out).astype(dt)
    spec = [0, 1, 5, 6, 7, ii.max, ii.max - 1]
    if ii.min < 0:
        spec += [-1, -6, -7, ii.min, ii.min + 1]
    if n >= 2 * len(spec):
        out[rng.choice(n, len(spec), replace=False)] = np.array(spec, dtype=dt)
    return out


def values(dtype, n, rng):
    dt = np.dtype(dtype)
    return int_values(dt, n, rng) if dt.kind in "iu" else float_values(dt, n, rng)


def param_values(act, j, dtype, n, rng):
    """n values for parameter j: mostly the samples, some ordinary, some special."""
    dt = np.dtype(dtype)
    base = np.array([s[j] for s in samples(act)], dtype=np.float64)
    choice = rng.choice(base, n)
    other = rng.normal(0.0, 2.0, n)
    # NaN and signed zeros; infinite or huge parameters are outside the
    # contract (e.g. elu_grad(-800, inf): inf * exp(-800) is inf exactly but
    # exp(-800) rounds to 0 in float64 first)
    spec = rng.choice([np.nan, 0.0, -0.0], n)
    r = rng.random(n)
    out = np.where(r < 0.7, choice, np.where(r < 0.92, other, spec))
    with np.errstate(all="ignore"):
        return out.astype(dt)


# ---------------------------------------------------------------------------
# Expectations from the twins and the comparison
# ---------------------------------------------------------------------------

_QUIET_BIT = {2: (np.uint16, 0x7c00, 0x3ff, 0x200),
              4: (np.uint32, 0x7f800000, 0x7fffff, 0x400000),
              8: (np.uint64, 0x7ff0000000000000, 0xfffffffffffff, 0x8000000000000)}


def is_signaling_nan(a):
    """True where a is a signaling NaN (IEEE binary16/32/64 only)."""
    a = np.asarray(a)
    if a.dtype.kind != "f" or a.dtype.itemsize not in _QUIET_BIT:
        return np.zeros(a.shape, bool)
    utype, exp, mant, quiet = _QUIET_BIT[a.dtype.itemsize]
    u = a.copy().view(utype)
    return ((u & utype(exp)) == exp) & ((u & utype(mant)) != 0) & ((u & utype(quiet)) == 0)


def step(a, k):
    """a moved k nextafter steps (k < 0: towards -inf)."""
    a = np.asarray(a)
    target = a.dtype.type(np.inf if k > 0 else -np.inf)
    with np.errstate(all="ignore"):
        for _ in range(abs(k)):
            a = np.nextafter(a, target)
    return a


def wide_dtype(dt):
    dt = np.dtype(dt)
    if dt in (np.float16, np.float32):
        return np.dtype(np.float64)
    return np.dtype(np.longdouble)


class Expectation:
    """What one call must return, element by element (broadcast shape)."""

    def __init__(self, case_or_act, direction, dtype, args):
        act = case_or_act.act if isinstance(case_or_act, Case) else case_or_act
        self.act, self.direction, self.dtype = act, direction, np.dtype(dtype)
        self.args = args
        ref = reference(act, direction)
        # the twins promise to be quiet: hold them to it
        with np.errstate(all="raise"):
            expected = np.asarray(ref(*args))
        self.expected = expected
        with np.errstate(all="ignore"):
            arrs = np.broadcast_arrays(*[np.asarray(a, dtype=self.dtype) for a in args])
        self.arrays = arrs
        self.steps = ulp_steps(act, self.dtype)
        shape = expected.shape
        if self.dtype.kind in "iu":
            self.invalid_ok = np.zeros(shape, bool)
            self.overflow_ok = np.zeros(shape, bool)
            self.nan_ok = self.invalid_ok
            self.lo = self.hi = expected
            return
        in_nan = np.zeros(shape, bool)
        in_finite = np.ones(shape, bool)
        for a in arrs:
            in_nan |= np.isnan(a)
            in_finite &= np.isfinite(a)
        # invalid: 0 * inf and the like; and any signaling NaN input (NumPy's
        # own arithmetic raises "invalid" on those too)
        signaling = np.zeros(shape, bool)
        for a in arrs:
            signaling |= is_signaling_nan(a)
        self.invalid_ok = (np.isnan(expected) & ~in_nan) | signaling
        self.overflow_ok = self._true_overflow(ref, args, expected, in_finite)
        self.nan_ok = np.isnan(expected)
        k = self.steps
        if k == 0:
            self.lo = self.hi = expected
        elif direction != "backward":
            self.lo, self.hi = step(expected, -k), step(expected, k)
        else:
            grad = np.asarray(reference(act, "grad")(*args[1:]))
            w = wide_dtype(self.dtype)
            with np.errstate(all="ignore"):
                dy = arrs[0].astype(w)
                a = (dy * step(grad, -k).astype(w)).astype(self.dtype)
                b = (dy * step(grad, k).astype(w)).astype(self.dtype)
            self.lo = step(np.fmin(a, b), -1)
            self.hi = step(np.fmax(a, b), 1)
            # dy = +-inf times a grad that may round to 0: "dy = inf where
            # grad = 0 gives nan" (the documented dy * grad semantics)
            g_lo, g_hi = step(grad, -k), step(grad, k)
            inf_times_zero = np.isinf(arrs[0]) & (g_lo <= 0) & (g_hi >= 0)
            self.nan_ok = self.nan_ok | inf_times_zero
            self.invalid_ok = self.invalid_ok | inf_times_zero

    def _true_overflow(self, ref, args, expected, in_finite):
        """Where the exact result is finite but beyond the dtype's range.

        Evaluated with the twin in a wider type (float16/float32 -> float64,
        float64 -> long double) on the elements whose expected value is
        infinite: leaky_relu_backward(max, -inf, 2.5) overflows (dy * 2.5),
        relu(inf) does not.  Long double has no wider type: there an infinite
        result counts as an overflow when every input is finite or one is a
        finite value within 2**-8 of the maximum.
        """
        inf = np.isinf(expected)
        if not inf.any():
            return inf
        dt = self.dtype
        wide = None
        if dt in (np.float16, np.float32):
            wide = np.dtype(np.float64)
        elif dt == np.float64 and np.finfo(np.longdouble).nmant > 52:
            wide = np.dtype(np.longdouble)
        with np.errstate(all="ignore"):
            arrs = [np.broadcast_to(np.asarray(a, dtype=dt), expected.shape) for a in args]
            if wide is None:
                huge = np.zeros(expected.shape, bool)
                for a in arrs:
                    huge |= np.isfinite(a) & (np.abs(a) > np.finfo(dt).max / 256)
                return inf & (in_finite | huge)
            sub = [a[inf].astype(wide) for a in arrs]
            exact = np.asarray(ref(*sub))
            out = np.zeros(expected.shape, bool)
            out[inf] = np.isfinite(exact)
            return out

    def errstate(self, index=...):
        """np.errstate arguments for a call on the elements ``index``."""
        kw = {"all": "raise"}
        if np.any(self.invalid_ok[index]):
            kw["invalid"] = "ignore"
        if np.any(self.overflow_ok[index]):
            kw["over"] = "ignore"
        return kw

    def check(self, got, index=..., what=""):
        """Assert that ``got`` matches the expectation at ``index``."""
        check_values(got, self.expected[index], self.lo[index], self.hi[index],
                     self.steps, self.dtype,
                     [np.broadcast_to(a, self.expected.shape)[index] for a in self.arrays],
                     f"{self.act.ufunc_name(self.direction)}{what}",
                     nan_ok=self.nan_ok[index])


def check_values(got, expected, lo, hi, steps, dtype, inputs=(), what="", nan_ok=None):
    """Compare got with expected (see the module docstring).

    ``lo``/``hi``: accepted interval for ULP-bounded results; ``nan_ok``: where
    a NaN result is also accepted (default: where expected is NaN)."""
    got_arr = np.asarray(got)
    assert got_arr.dtype == np.dtype(dtype), \
        f"{what}: result dtype {got_arr.dtype}, expected {np.dtype(dtype)}"
    assert got_arr.shape == np.shape(expected), \
        f"{what}: result shape {got_arr.shape}, expected {np.shape(expected)}"
    with np.errstate(all="ignore"):
        if got_arr.dtype.kind in "iu":
            ok = got_arr == expected
        else:
            if nan_ok is None:
                nan_ok = np.isnan(expected)
            both_nan = np.isnan(got_arr) & (np.isnan(expected) | nan_ok)
            sign_ok = np.signbit(got_arr) == np.signbit(expected)
            if steps == 0:
                ok = both_nan | ((got_arr == expected) & sign_ok)
            else:
                zeros = (got_arr == 0) & (expected == 0)
                inside = (lo <= got_arr) & (got_arr <= hi) & ~np.isnan(expected)
                ok = both_nan | (inside & (~zeros | sign_ok))
    if not np.all(ok):
        bad = np.argwhere(~np.asarray(ok))
        lines = []
        for idx in bad[:8]:
            idx = tuple(idx)
            ins = ", ".join(repr(np.asarray(a)[idx]) for a in inputs)
            line = (f"  at {idx}: inputs ({ins}) -> got {np.asarray(got_arr)[idx]!r}, "
                    f"expected {np.asarray(expected)[idx]!r}")
            if steps:
                line += f" (accepted [{np.asarray(lo)[idx]!r}, {np.asarray(hi)[idx]!r}])"
            lines.append(line)
        raise AssertionError(f"{what}: {len(bad)} of {np.size(ok)} elements wrong"
                             + (" (bit-exact)" if steps == 0 else f" (<= {steps} ULP)")
                             + "\n" + "\n".join(lines))


# ---------------------------------------------------------------------------
# Pools: aligned input arrays and their expectations, computed once
# ---------------------------------------------------------------------------

POOL_SIZE = 263  # prime, so the windows of different lengths start anywhere


class Pool:
    """Inputs (data and parameters) for a case with their expectation."""

    def __init__(self, case, variant):
        self.case = case
        rng = np.random.default_rng(seed_for(case.id, variant))
        dt = case.dtype
        n = POOL_SIZE
        data = [values(dt, n, rng) for _ in range(case.ndata)]
        if variant == "array":
            params = [param_values(case.act, j, dt, n, rng) for j in range(case.nparams)]
            self.scalar_params = None
        else:
            sample = samples(case.act)[variant]
            cast = int if dt.kind in "iu" else float
            self.scalar_params = tuple(cast(p) for p in sample)
            params = list(self.scalar_params)
        self.data = data
        self.params = params
        self.exp = Expectation(case, case.direction, dt, data + params)


@functools.lru_cache(maxsize=None)
def pool(case, variant):
    return Pool(case, variant)


def window(n):
    """Indices of a length-n window into a pool (start depends on n)."""
    start = (n * 37) % POOL_SIZE
    return (start + np.arange(n)) % POOL_SIZE


def length_n_inputs(case, variant, n):
    """(idx, expectation, data, params) for a length-n call of ``case``.

    variant "array": parameters are arrays like the data; otherwise they cycle
    through the parameter samples, as 0-d arrays of the loop type (odd n) or as
    Python scalars, which are weak and cast to the loop type (even n).
    """
    idx = window(n)
    p = pool(case, "array" if variant == "array" else n % len(samples(case.act)))
    data = [d[idx] for d in p.data]
    if variant == "array":
        params = [q[idx] for q in p.params]
    elif n % 2:
        params = [np.array(q, dtype=case.dtype) for q in p.scalar_params]
    else:
        params = list(p.scalar_params)
    return idx, p.exp, data, params


# ---------------------------------------------------------------------------
# Literal values from DESIGN §1.1/§1.2, written by hand (checked against both
# fastrelu and the twins).  (ufunc name, arguments, expected); every argument
# and the expected value are exactly representable in float16..longdouble.
# Signed zeros are compared with their sign.
# ---------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")

LITERALS = [
    # relu: x if x > 0 else +0
    ("relu", (-0.0,), 0.0), ("relu", (0.0,), 0.0), ("relu", (-2.0,), 0.0),
    ("relu", (3.5,), 3.5), ("relu", (INF,), INF), ("relu", (-INF,), 0.0),
    ("relu", (NAN,), NAN), ("relu", (-NAN,), NAN),
    ("relu_grad", (0.0,), 0.0), ("relu_grad", (-0.0,), 0.0), ("relu_grad", (2.0,), 1.0),
    ("relu_grad", (-2.0,), 0.0), ("relu_grad", (INF,), 1.0), ("relu_grad", (-INF,), 0.0),
    ("relu_grad", (NAN,), NAN),
    ("relu_backward", (3.0, 2.0), 3.0), ("relu_backward", (3.0, -2.0), 0.0),
    ("relu_backward", (-3.0, -2.0), -0.0), ("relu_backward", (3.0, 0.0), 0.0),
    ("relu_backward", (NAN, 2.0), NAN), ("relu_backward", (NAN, -2.0), NAN),
    ("relu_backward", (3.0, NAN), NAN), ("relu_backward", (0.0, NAN), NAN),
    ("relu_backward", (INF, 1.0), INF),
    # relu6: min(max(x, 0), 6)
    ("relu6", (-0.0,), 0.0), ("relu6", (6.0,), 6.0), ("relu6", (7.0,), 6.0),
    ("relu6", (5.5,), 5.5), ("relu6", (INF,), 6.0), ("relu6", (-INF,), 0.0),
    ("relu6", (-1.0,), 0.0), ("relu6", (NAN,), NAN),
    ("relu6_grad", (0.0,), 0.0), ("relu6_grad", (-0.0,), 0.0), ("relu6_grad", (6.0,), 0.0),
    ("relu6_grad", (3.0,), 1.0), ("relu6_grad", (5.5,), 1.0), ("relu6_grad", (7.0,), 0.0),
    ("relu6_grad", (INF,), 0.0), ("relu6_grad", (-INF,), 0.0), ("relu6_grad", (NAN,), NAN),
    ("relu6_backward", (2.0, 3.0), 2.0), ("relu6_backward", (2.0, 6.0), 0.0),
    ("relu6_backward", (-2.0, 7.0), -0.0), ("relu6_backward", (2.0, NAN), NAN),
    ("relu6_backward", (NAN, 3.0), NAN),
    # leaky_relu / prelu: x if x >= 0 else alpha * x
    ("leaky_relu", (-0.0, 0.25), -0.0), ("leaky_relu", (0.0, 0.25), 0.0),
    ("leaky_relu", (-2.0, 0.25), -0.5), ("leaky_relu", (-2.0, -0.5), 1.0),
    ("leaky_relu", (-2.0, 2.5), -5.0), ("leaky_relu", (3.0, 0.25), 3.0),
    ("leaky_relu", (-INF, 0.25), -INF), ("leaky_relu", (-INF, -0.5), INF),
    ("leaky_relu", (INF, 0.25), INF), ("leaky_relu", (NAN, 0.25), NAN),
    ("leaky_relu", (-2.0, NAN), NAN), ("leaky_relu", (2.0, NAN), 2.0),
    ("leaky_relu", (-0.0, 0.0), -0.0), ("leaky_relu", (-2.0, 0.0), -0.0),
    ("leaky_relu_grad", (0.0, 0.25), 0.25), ("leaky_relu_grad", (-0.0, 0.25), 0.25),
    ("leaky_relu_grad", (2.0, 0.25), 1.0), ("leaky_relu_grad", (-2.0, 0.25), 0.25),
    ("leaky_relu_grad", (-INF, 0.25), 0.25), ("leaky_relu_grad", (INF, 0.25), 1.0),
    ("leaky_relu_grad", (NAN, 0.25), NAN), ("leaky_relu_grad", (-1.0, -0.5), -0.5),
    ("leaky_relu_backward", (2.0, -1.0, 0.25), 0.5), ("leaky_relu_backward", (2.0, 1.0, 0.25), 2.0),
    ("leaky_relu_backward", (2.0, 0.0, 0.25), 0.5),
    ("leaky_relu_backward", (NAN, 1.0, 0.25), NAN), ("leaky_relu_backward", (2.0, NAN, 0.25), NAN),
    ("prelu", (-0.0, 0.25), -0.0), ("prelu", (-2.0, 0.25), -0.5), ("prelu", (-2.0, -0.5), 1.0),
    ("prelu", (3.0, 0.25), 3.0), ("prelu", (-INF, 0.25), -INF), ("prelu", (NAN, 0.25), NAN),
    ("prelu_grad", (0.0, 0.25), 0.25), ("prelu_grad", (2.0, 0.25), 1.0),
    ("prelu_grad", (NAN, 0.25), NAN),
    ("prelu_backward", (2.0, -1.0, 0.25), 0.5), ("prelu_backward", (2.0, NAN, 0.25), NAN),
    # elu: x if x > 0 else alpha * expm1(x)
    ("elu", (-INF, 1.0), -1.0), ("elu", (-INF, 0.5), -0.5), ("elu", (-INF, 2.5), -2.5),
    ("elu", (INF, 1.0), INF), ("elu", (-0.0, 1.0), -0.0), ("elu", (0.0, 1.0), 0.0),
    ("elu", (-0.0, -1.5), 0.0), ("elu", (2.0, 1.0), 2.0), ("elu", (NAN, 1.0), NAN),
    ("elu", (-INF, -1.5), 1.5),
    ("elu_grad", (0.0, 1.0), 1.0), ("elu_grad", (0.0, 0.5), 0.5), ("elu_grad", (-0.0, 0.5), 0.5),
    ("elu_grad", (2.0, 0.5), 1.0), ("elu_grad", (-INF, 0.5), 0.0), ("elu_grad", (INF, 0.5), 1.0),
    ("elu_grad", (NAN, 0.5), NAN),
    ("elu_backward", (2.0, -INF, 0.5), 0.0), ("elu_backward", (2.0, 0.0, 0.5), 1.0),
    ("elu_backward", (2.0, 3.0, 0.5), 2.0), ("elu_backward", (NAN, 3.0, 0.5), NAN),
    ("elu_backward", (2.0, NAN, 0.5), NAN),
]

INT_LITERALS = [
    # (ufunc, dtype chars, x, expected)
    ("relu", "bhilq", -1, 0), ("relu", "bhilq", 5, 5), ("relu", "bBhHiIlLqQ", 0, 0),
    ("relu6", "bhilq", -7, 0), ("relu6", "bBhHiIlLqQ", 5, 5), ("relu6", "bBhHiIlLqQ", 6, 6),
    ("relu6", "bBhHiIlLqQ", 7, 6),
    ("relu", "b", -128, 0), ("relu", "b", 127, 127), ("relu", "B", 255, 255),
    ("relu6", "b", 127, 6), ("relu6", "b", -128, 0), ("relu6", "B", 255, 6),
    ("relu", "q", -2**63, 0), ("relu", "Q", 2**64 - 1, 2**64 - 1), ("relu6", "Q", 2**64 - 1, 6),
    ("relu6", "q", 2**63 - 1, 6),
]


def literal_params():
    return [pytest.param(name, args, expected, id=f"{name}{args}".replace(" ", ""))
            for name, args, expected in LITERALS]


def same_value(got, expected):
    """Bit-level equality of a float result with a literal (NaN == NaN, +0 != -0)."""
    got = np.asarray(got)
    with np.errstate(all="ignore"):
        exp = np.asarray(expected, dtype=got.dtype)
        return (np.isnan(got) & np.isnan(exp)) | \
            ((got == exp) & (np.signbit(got) == np.signbit(exp)))


# ---------------------------------------------------------------------------
# Two code paths (ISA modules, thread counts) that must agree bit for bit
# ---------------------------------------------------------------------------

def assert_same_bits(got, expected, what="", inputs=(), labels=None):
    """got and expected are the same values: equal integers; floats equal with
    the same sign bit (+0.0 != -0.0), any NaN equal to any NaN.

    ``inputs``: arrays shaped like got, shown for the first mismatches;
    ``labels``: per-element strings (e.g. the length of the call) shown too."""
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.dtype == expected.dtype, f"{what}: dtype {got.dtype} vs {expected.dtype}"
    assert got.shape == expected.shape, f"{what}: shape {got.shape} vs {expected.shape}"
    ok = same_value(got, expected) if got.dtype.kind == "f" else got == expected
    if np.all(ok):
        return
    bad = np.argwhere(~np.asarray(ok))
    lines = []
    for idx in bad[:8]:
        idx = tuple(idx)
        ins = ", ".join(repr(np.asarray(a)[idx]) for a in inputs)
        where = f" [{np.asarray(labels)[idx]}]" if labels is not None else ""
        lines.append(f"  at {idx}{where}: inputs ({ins}) -> {got[idx]!r}, expected "
                     f"{expected[idx]!r}")
    raise AssertionError(f"{what}: {len(bad)} of {got.size} elements differ (bit-exact)\n"
                         + "\n".join(lines))


# ---------------------------------------------------------------------------
# Fresh interpreters (environment variables read at import, fork, crashes)
# ---------------------------------------------------------------------------

def python_env(**overrides):
    """os.environ without FASTRELU_* settings but FASTRELU_ISA = the path this
    process runs (so the per-ISA runs of the suite test that path in children
    too), updated with ``overrides`` (a value of None removes the variable).

    The child imports the very fastrelu this process imported (its parent
    directory goes first on PYTHONPATH; the child runs in a temporary
    directory, so no source tree can shadow it)."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("FASTRELU_")}
    env["FASTRELU_ISA"] = fastrelu.ISA
    parent = os.path.dirname(os.path.dirname(os.path.abspath(fastrelu.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([parent] + ([env["PYTHONPATH"]]
                                                    if env.get("PYTHONPATH") else []))
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_python(code, timeout=120, **env):
    """Run ``code`` with ``sys.executable -c`` (environment: ``python_env(**env)``).

    Returns the CompletedProcess (text stdout/stderr); a child that does not
    finish within ``timeout`` seconds is killed and the test fails."""
    import subprocess
    import sys
    import tempfile
    import textwrap

    with tempfile.TemporaryDirectory() as cwd:
        try:
            return subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                                  env=python_env(**env), cwd=cwd, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired as e:
            pytest.fail(f"child Python did not finish within {timeout} s (hang?)\n"
                        f"stdout: {e.stdout!r}\nstderr: {e.stderr!r}")


def describe(proc):
    """A CompletedProcess for assertion messages."""
    return f"exit code {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
