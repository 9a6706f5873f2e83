"""``python -m fastrelu bench``: fastrelu against the best plain NumPy expression.

For every ufunc (forward, grad, backward) the table shows, per size and dtype,

    ratio = time(NumPy expression) / time(fastrelu ufunc)      (> 1: fastrelu faster)

Both sides write into a preallocated output of the same dtype.  The NumPy side
is the fastest fair form we measured (see ``BASELINES``): ``out=`` wherever a
ufunc allows it, every constant and parameter an ``x.dtype`` scalar made once
up front (nothing silently becomes float64), branch-free ufunc chains instead
of ``np.where`` / masked ``copyto`` (which cost ~5 ns per element on random
signs).  Where no single expression is fastest at every size and dtype, a row
has candidates (a, b) and each cell is timed against the one that was fastest
there.  Each row of the table names its expressions, each cell its candidate.

Method: inputs are ``normal(0, 3)`` samples (seed 0, the same arrays for both
sides; the spread reaches relu6's upper kink).  Before timing, fastrelu and
every candidate run once and must agree (``allclose`` within 64 eps, finite
values); a cell that does not is reported as MISMATCH instead of a ratio.
Timing interleaves the two sides (A/B, B/A, ...) with ``time.perf_counter``,
each sample calling one side enough times to last ``sample_time``, and keeps
the minimum per-call time of each side (the least disturbed run; the median
goes to ``--json``).

Adding a spec row: add its NumPy twins to ``BASELINES`` below (one
``@_baseline`` per ufunc; forward and backward are required, grad optional).
A forward/backward ufunc without one makes the bench (and the asv suite) fail
with a KeyError naming it.
"""

import argparse
import functools
import gc
import json
import math
import os
import platform
import sys
import time
from dataclasses import dataclass

import numpy as np

from . import _spec

DESCRIPTION = ("Speed table: for every fastrelu ufunc, time(best plain NumPy expression) / "
               "time(fastrelu), both writing into a preallocated output (> 1: fastrelu "
               "is faster). Each row names its NumPy expression.")
DEFAULT_SIZES = (1_000, 100_000, 1_000_000)
DEFAULT_DTYPES = ("float32", "float64")
DEFAULT_DIRECTIONS = ("forward", "grad", "backward")
REQUIRED_DIRECTIONS = ("forward", "backward")
DATA_SCALE = 3.0
SEED = 0

# ---------------------------------------------------------------------------
# The NumPy baselines.  ``@_baseline(ufunc, inputs, text)`` registers one
# candidate expression: a factory that, given the dtype, makes the x.dtype
# constants once and returns ``f(*inputs, o)`` writing the result into ``o``
# (inputs in the order of ``Activation.inputs(direction)``; parameters arrive
# as x.dtype scalars).  ``text`` is what the table prints: ``o`` is the
# preallocated output, numbers stand for x.dtype scalars.
#
# A ufunc may have several candidates when none is fastest everywhere (NumPy's
# own SIMD paths differ by size and dtype): each cell is then timed against
# the candidate that was fastest in that cell, and says which one (a, b, ...).
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Expression:
    text: str  # shown in the table
    make: object  # make(dtype) -> f(*inputs, o)


@dataclass
class Baseline:
    name: str  # ufunc name
    inputs: tuple  # input names, checked against the spec
    expressions: list  # of Expression: the candidates, labelled a, b, ...

    @property
    def expr(self):
        """All candidates as one string (the table's last column)."""
        if len(self.expressions) == 1:
            return self.expressions[0].text
        return "   ".join(f"{_label(i)}: {e.text}" for i, e in enumerate(self.expressions))


def _label(i):
    return "abcdefghijklmnopqrstuvwxyz"[i]


BASELINES = {}


def _baseline(name, inputs, text):
    def register(make):
        base = BASELINES.setdefault(name, Baseline(name, tuple(inputs), []))
        if base.inputs != tuple(inputs):
            raise ValueError(f"NumPy baselines for {name!r} disagree on the inputs")
        if any(e.text == text for e in base.expressions):
            raise ValueError(f"duplicate NumPy baseline for {name!r}: {text}")
        base.expressions.append(Expression(text, make))
        return make
    return register


# -- relu --------------------------------------------------------------------
# np.maximum with a scalar has the lowest call overhead; np.clip(x, 0, inf)
# has NumPy's faster SIMD loop from ~1e4 elements (2-3x in float32).

@_baseline("relu", ("x",), "np.maximum(x, 0, out=o)")
def _relu(dt):
    zero = dt.type(0)

    def f(x, o):
        np.maximum(x, zero, out=o)
    return f


@_baseline("relu", ("x",), "np.clip(x, 0, inf, out=o)")
def _relu_clip(dt):
    zero, inf = dt.type(0), dt.type(np.inf)

    def f(x, o):
        np.clip(x, zero, inf, out=o)
    return f


@_baseline("relu_grad", ("x",), "np.greater(x, 0, out=o)")
def _relu_grad(dt):
    zero = dt.type(0)

    def f(x, o):
        np.greater(x, zero, out=o)
    return f


@_baseline("relu_backward", ("dy", "x"), "np.multiply(dy, x > 0, out=o)")
def _relu_backward(dt):
    zero = dt.type(0)

    def f(dy, x, o):
        np.multiply(dy, x > zero, out=o)
    return f


@_baseline("relu_backward", ("dy", "x"), "np.greater(x, 0, out=o); np.multiply(o, dy, out=o)")
def _relu_backward_inplace(dt):
    zero = dt.type(0)

    def f(dy, x, o):
        np.greater(x, zero, out=o)
        np.multiply(o, dy, out=o)
    return f


# -- relu6 -------------------------------------------------------------------

@_baseline("relu6", ("x",), "np.clip(x, 0, 6, out=o)")
def _relu6(dt):
    zero, six = dt.type(0), dt.type(6)

    def f(x, o):
        np.clip(x, zero, six, out=o)
    return f


@_baseline("relu6", ("x",), "np.maximum(x, 0, out=o); np.minimum(o, 6, out=o)")
def _relu6_maxmin(dt):
    zero, six = dt.type(0), dt.type(6)

    def f(x, o):
        np.maximum(x, zero, out=o)
        np.minimum(o, six, out=o)
    return f


@_baseline("relu6_grad", ("x",), "np.logical_and(x > 0, x < 6, out=o)")
def _relu6_grad(dt):
    zero, six = dt.type(0), dt.type(6)

    def f(x, o):
        np.logical_and(x > zero, x < six, out=o)
    return f


@_baseline("relu6_backward", ("dy", "x"), "np.multiply(dy, (x > 0) & (x < 6), out=o)")
def _relu6_backward(dt):
    zero, six = dt.type(0), dt.type(6)

    def f(dy, x, o):
        np.multiply(dy, (x > zero) & (x < six), out=o)
    return f


# -- leaky_relu / prelu ------------------------------------------------------
# max(x, a*x) is the fastest form and equals the formula for 0 <= a <= 1 (the
# usual values); np.where(x >= 0, x, a*x) is ~10x slower on random signs.
# The gradient max(x > 0, a) is exact in the same range.

def _leaky_family(name, p):
    @_baseline(name, ("x", p), f"np.multiply(x, {p}, out=o); np.maximum(x, o, out=o)"
               f"  [0 <= {p} <= 1]")
    def fwd(dt):
        def f(x, a, o):
            np.multiply(x, a, out=o)
            np.maximum(x, o, out=o)
        return f

    @_baseline(name + "_grad", ("x", p), f"np.greater(x, 0, out=o); np.maximum(o, {p}, out=o)"
               f"  [0 <= {p} <= 1]")
    def grad(dt):
        zero = dt.type(0)

        def f(x, a, o):
            np.greater(x, zero, out=o)
            np.maximum(o, a, out=o)
        return f

    @_baseline(name + "_backward", ("dy", "x", p),
               f"np.greater(x, 0, out=o); np.maximum(o, {p}, out=o); np.multiply(o, dy, out=o)"
               f"  [0 <= {p} <= 1]")
    def backward(dt):
        zero = dt.type(0)

        def f(dy, x, a, o):
            np.greater(x, zero, out=o)
            np.maximum(o, a, out=o)
            np.multiply(o, dy, out=o)
        return f


_leaky_family("leaky_relu", "alpha")
_leaky_family("prelu", "weight")


# -- elu ---------------------------------------------------------------------
# expm1 (not exp(x) - 1, which loses all relative accuracy near 0: fastrelu
# promises 1 ULP) applied to min(x, 0) so it never overflows; max(., x) then
# restores x > 0, exact for 0 < alpha <= 1 because alpha*expm1(x) >= x there.
# For the gradient, exp(min(x, 0)) * max(x > 0, alpha) avoids np.where's
# branches (faster in float32, where np.exp is vectorized).

@_baseline("elu", ("x", "alpha"),
           "np.minimum(x, 0, out=o); np.expm1(o, out=o); np.multiply(o, alpha, out=o); "
           "np.maximum(o, x, out=o)  [0 < alpha <= 1]")
def _elu(dt):
    zero = dt.type(0)

    def f(x, a, o):
        np.minimum(x, zero, out=o)
        np.expm1(o, out=o)
        np.multiply(o, a, out=o)
        np.maximum(o, x, out=o)
    return f


@_baseline("elu_grad", ("x", "alpha"), "o[...] = np.where(x > 0, 1, alpha * np.exp(x))")
def _elu_grad(dt):
    zero, one = dt.type(0), dt.type(1)

    def f(x, a, o):
        o[...] = np.where(x > zero, one, a * np.exp(x))
    return f


@_baseline("elu_grad", ("x", "alpha"),
           "np.minimum(x, 0, out=o); np.exp(o, out=o); "
           "np.multiply(o, np.maximum(x > 0, alpha), out=o)  [0 <= alpha <= 1]")
def _elu_grad_branchless(dt):
    zero = dt.type(0)

    def f(x, a, o):
        np.minimum(x, zero, out=o)
        np.exp(o, out=o)
        np.multiply(o, np.maximum(x > zero, a), out=o)
    return f


@_baseline("elu_backward", ("dy", "x", "alpha"),
           "np.multiply(dy, np.where(x > 0, 1, alpha * np.exp(x)), out=o)")
def _elu_backward(dt):
    zero, one = dt.type(0), dt.type(1)

    def f(dy, x, a, o):
        np.multiply(dy, np.where(x > zero, one, a * np.exp(x)), out=o)
    return f


@_baseline("elu_backward", ("dy", "x", "alpha"),
           "np.minimum(x, 0, out=o); np.exp(o, out=o); "
           "np.multiply(o, np.maximum(x > 0, alpha), out=o); np.multiply(o, dy, out=o)"
           "  [0 <= alpha <= 1]")
def _elu_backward_branchless(dt):
    zero = dt.type(0)

    def f(dy, x, a, o):
        np.minimum(x, zero, out=o)
        np.exp(o, out=o)
        np.multiply(o, np.maximum(x > zero, a), out=o)
        np.multiply(o, dy, out=o)
    return f


# ---------------------------------------------------------------------------
# Rows and cases
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    ufunc: str
    activation: object  # _spec.Activation
    direction: str
    baseline: Baseline

    @property
    def inputs(self):
        return self.activation.inputs(self.direction)

    @property
    def params(self):
        """{param name: usual value as float}"""
        return {p.name: float(p.usual) for p in self.activation.params}


def _find_baseline(act, direction):
    name = act.ufunc_name(direction)
    base = BASELINES.get(name)
    if base is None:
        if direction not in REQUIRED_DIRECTIONS:
            return None
        raise KeyError(
            f"fastrelu bench: no NumPy baseline for ufunc {name!r} (spec row "
            f"{act.name!r}, {direction}); add one to BASELINES in fastrelu/_bench.py "
            f"with inputs {act.inputs(direction)} (see the relu entries there)")
    if base.inputs != act.inputs(direction):
        raise KeyError(
            f"fastrelu bench: the NumPy baseline for {name!r} takes {base.inputs} but "
            f"the spec says {act.inputs(direction)}; update BASELINES in fastrelu/_bench.py")
    return base


def all_rows(directions=DEFAULT_DIRECTIONS):
    """Every spec ufunc in ``directions`` that has a baseline, in registry order.

    Raises KeyError if a forward/backward ufunc has no NumPy baseline.
    """
    rows = []
    for act in _spec.ACTIVATIONS:
        for direction in _spec.DIRECTIONS:
            base = _find_baseline(act, direction)  # checks every row, even unselected
            if base is not None and direction in directions:
                rows.append(Row(act.ufunc_name(direction), act, direction, base))
    return rows


def select_rows(functions=None, directions=DEFAULT_DIRECTIONS):
    """Rows whose ufunc or activation name is in ``functions`` (None: all)."""
    rows = all_rows(directions)
    if not functions:
        return rows
    wanted = set(functions)
    known = {r.ufunc for r in all_rows()} | {a.name for a in _spec.ACTIVATIONS}
    unknown = sorted(wanted - known)
    if unknown:
        raise SystemExit(f"fastrelu bench: unknown function(s) {', '.join(unknown)}; "
                         f"choose from {', '.join(r.ufunc for r in all_rows())}")
    return [r for r in rows if r.ufunc in wanted or r.activation.name in wanted]


def row(ufunc):
    """The Row of one ufunc name (any direction)."""
    for r in all_rows():
        if r.ufunc == ufunc:
            return r
    raise KeyError(f"fastrelu bench: no benchmark row for {ufunc!r}")


@dataclass
class Case:
    """Inputs, outputs and zero-argument callables for one (ufunc, dtype, size)."""
    row: Row
    dtype: np.dtype
    size: int
    args: tuple  # inputs in spec order, parameters as dtype scalars
    out_fastrelu: np.ndarray
    run_fastrelu: object  # () -> None
    outs_numpy: list  # one output per candidate expression
    runs_numpy: list  # () -> None, one per candidate expression
    best: int = 0  # the candidate timed against fastrelu (see choose_numpy)

    @property
    def run_numpy(self):
        return self.runs_numpy[self.best]

    @property
    def expression(self):
        return self.row.baseline.expressions[self.best].text


def make_case(row_or_name, dtype, size, seed=SEED):
    """Build the arrays and the zero-argument callables for one cell."""
    import fastrelu

    r = row(row_or_name) if isinstance(row_or_name, str) else row_or_name
    dt = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    x = (rng.standard_normal(size) * DATA_SCALE).astype(dt)
    dy = rng.standard_normal(size).astype(dt)
    params = r.params
    args = []
    for name in r.inputs:
        if name == "x":
            args.append(x)
        elif name == "dy":
            args.append(dy)
        else:
            args.append(dt.type(params[name]))
    args = tuple(args)
    # functools.partial (C) binds the arguments without a Python frame of its
    # own, so each side costs what the user's own line would: the ufunc call,
    # or the expression in one Python function.
    out_fr = np.empty(size, dtype=dt)
    run_fastrelu = functools.partial(getattr(fastrelu, r.ufunc), *args, out=out_fr)
    outs, runs = [], []
    for expression in r.baseline.expressions:
        o = np.empty(size, dtype=dt)
        outs.append(o)
        runs.append(functools.partial(expression.make(dt), *args, o))
    return Case(r, dt, size, args, out_fr, run_fastrelu, outs, runs)


def check_case(case):
    """Run fastrelu and every candidate once into NaN-filled outputs.

    Returns ``(ok, max_abs_diff)``: ok if every candidate agrees with fastrelu
    within 64 eps (relative and absolute) and all values are finite.
    """
    case.out_fastrelu.fill(np.nan)
    case.run_fastrelu()
    b = case.out_fastrelu
    ok = bool(np.isfinite(b).all())
    eps = float(np.finfo(case.dtype).eps)
    worst = 0.0
    for o, run in zip(case.outs_numpy, case.runs_numpy):
        o.fill(np.nan)
        run()
        if not (ok and np.isfinite(o).all()):
            return False, float("nan")
        worst = max(worst, float(np.max(np.abs(o.astype(np.float64) - b.astype(np.float64)),
                                        initial=0.0)))
        ok = ok and bool(np.allclose(o, b, rtol=64 * eps, atol=64 * eps))
    return ok, worst


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------


def _sample(fn, n):
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def _calls_per_sample(fn, sample_time):
    """How many calls make one sample last about ``sample_time`` (also warms up)."""
    n = 1
    while True:
        t = _sample(fn, n) * n
        if t >= sample_time or n >= 1_000_000:
            return n
        n = min(1_000_000, max(n * 2, int(n * sample_time / max(t, 1e-9) * 1.1) + 1))


def time_pair(fa, fb, budget=0.2, sample_time=2e-3, min_repeat=5, max_repeat=200):
    """Time two callables interleaved (A/B, B/A, ...).

    Keeps sampling until ``budget`` seconds have passed and at least
    ``min_repeat`` pairs were taken (at most ``max_repeat``).  Returns per-call
    seconds: ``(min_a, min_b, median_a, median_b, repeats)``.
    """
    na = _calls_per_sample(fa, sample_time)
    nb = _calls_per_sample(fb, sample_time)
    ta, tb = [], []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        while len(ta) < max_repeat:
            if len(ta) % 2:
                tb.append(_sample(fb, nb))
                ta.append(_sample(fa, na))
            else:
                ta.append(_sample(fa, na))
                tb.append(_sample(fb, nb))
            if len(ta) >= min_repeat and time.perf_counter() - start >= budget:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return min(ta), min(tb), float(np.median(ta)), float(np.median(tb)), len(ta)


def choose_numpy(case, sample_time=2e-3, rounds=3):
    """Pick the fastest candidate expression for this cell (sets ``case.best``)."""
    if len(case.runs_numpy) > 1:
        calls = [_calls_per_sample(run, sample_time) for run in case.runs_numpy]
        best = [math.inf] * len(calls)
        for _ in range(rounds):
            for i, (run, n) in enumerate(zip(case.runs_numpy, calls)):
                best[i] = min(best[i], _sample(run, n))
        case.best = best.index(min(best))
    return case.best


def measure(case, **timing):
    """One cell: sanity check, choice of candidate, timing.  Returns a JSON-ready dict."""
    cell = {"size": case.size, "dtype": case.dtype.name}
    ok, diff = check_case(case)
    cell["max_abs_diff"] = diff
    if not ok:
        cell.update(status="mismatch", ratio=None)
        return cell
    choose_numpy(case, sample_time=timing.get("sample_time", 2e-3))
    t_np, t_fr, med_np, med_fr, reps = time_pair(case.run_numpy, case.run_fastrelu, **timing)
    cell.update(status="ok", ratio=t_np / t_fr, numpy_s=t_np, fastrelu_s=t_fr,
                numpy_median_s=med_np, fastrelu_median_s=med_fr, repeats=reps,
                candidate=_label(case.best), expression=case.expression)
    return cell


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment():
    import fastrelu
    from . import _ufuncs

    build = getattr(_ufuncs, "BUILD_INFO", {})
    return {
        "fastrelu": fastrelu.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu": _cpu_name(),
        "cpu_count": os.cpu_count(),
        "compiler_flags": list(build.get("compiler_flags", [])),
    }


def _size_label(n):
    if n >= 1000 and n == 10 ** round(math.log10(n)):
        return f"1e{round(math.log10(n))}"
    return str(n)


def _dtype_label(dt):
    return f"{dt.kind}{dt.itemsize * 8}"


def _parse_list(values, convert):
    out = []
    for v in values or ():
        out += [convert(s) for s in str(v).split(",") if s.strip()]
    return out


def _parse_size(s):
    n = int(float(s))
    if n < 1 or float(s) != n:
        raise argparse.ArgumentTypeError(f"bad size {s!r}")
    return n


def add_arguments(p):
    p.add_argument("--json", action="store_true",
                   help="print the results as JSON on stdout (progress goes to stderr)")
    p.add_argument("--sizes", nargs="+", metavar="N",
                   help="array sizes (default 1e3 1e5 1e6; '1e4,1e5' also works)")
    p.add_argument("--dtypes", nargs="+", metavar="DTYPE",
                   help="float dtypes (default float32 float64)")
    p.add_argument("--functions", nargs="+", metavar="NAME",
                   help="ufunc names (relu_backward) or activation names (relu = its "
                        "forward, grad and backward); default all")
    p.add_argument("--directions", nargs="+", metavar="DIR",
                   help="forward, grad, backward (default all three)")
    p.add_argument("--repeat", type=int, metavar="N",
                   help="exactly N interleaved A/B pairs per cell (instead of a time budget)")
    p.add_argument("--budget", type=float, default=30.0, metavar="SECONDS",
                   help="target timing time for the whole table (default 30; setup, checks "
                        "and calibration come on top)")
    p.add_argument("--quick", action="store_true",
                   help="few, short samples: a smoke test, not a measurement")


def _settings(args):
    sizes = _parse_list(args.sizes, _parse_size) or list(DEFAULT_SIZES)
    try:
        dtypes = [np.dtype(d) for d in (_parse_list(args.dtypes, str) or DEFAULT_DTYPES)]
    except TypeError as exc:
        raise SystemExit(f"fastrelu bench: {exc}") from None
    if args.repeat is not None and args.repeat < 1:
        raise SystemExit("fastrelu bench: --repeat must be at least 1")
    for dt in dtypes:
        if dt.kind != "f":
            raise SystemExit(f"fastrelu bench: only float dtypes are benchmarked, got {dt}")
    directions = _parse_list(args.directions, str) or list(DEFAULT_DIRECTIONS)
    bad = sorted(set(directions) - set(_spec.DIRECTIONS))
    if bad:
        raise SystemExit(f"fastrelu bench: unknown direction(s) {', '.join(bad)}")
    rows = select_rows(_parse_list(args.functions, str), directions)
    cells = max(1, len(rows) * len(sizes) * len(dtypes))
    if args.quick:
        timing = dict(budget=0.0, sample_time=2e-4, min_repeat=args.repeat or 3,
                      max_repeat=args.repeat or 3)
    elif args.repeat:
        timing = dict(budget=0.0, min_repeat=args.repeat, max_repeat=args.repeat)
    else:
        per_cell = min(0.5, max(0.03, args.budget / cells))
        timing = dict(budget=per_cell)
    return rows, sizes, dtypes, timing


def _header(env, rows, timing, out):
    params = ", ".join(f"{r.ufunc} " + " ".join(f"{k}={v:g}" for k, v in r.params.items())
                       for r in rows if r.direction == "forward" and r.params)
    print(f"fastrelu {env['fastrelu']} bench: time(NumPy expression) / time(fastrelu), "
          "both into a preallocated out; > 1 means fastrelu is faster", file=out)
    print(f"  numpy {env['numpy']}, python {env['python']}, {env['platform']}", file=out)
    print(f"  cpu {env['cpu']} ({env['cpu_count']} cores), fastrelu built with "
          f"{' '.join(env['compiler_flags']) or '?'}", file=out)
    how = (f"{timing['min_repeat']} A/B pairs" if timing.get("budget", 1) == 0
           else f"A/B pairs for ~{timing['budget']:.2g} s per cell")
    print(f"  min per-call time over interleaved {how}; inputs normal(0, {DATA_SCALE:g}), "
          f"seed {SEED}; constants are x.dtype scalars", file=out)
    if params:
        print(f"  parameters (spec usual values): {params}", file=out)
    if any(len(r.baseline.expressions) > 1 for r in rows):
        print("  rows with candidates a, b: each cell is timed against the candidate that was "
              "fastest there, and names it", file=out)
    print(file=out, flush=True)


def _fmt_cell(cell, candidates=1):
    if cell["status"] != "ok":
        return "MISMATCH"
    if candidates > 1:
        return f"{cell['ratio']:.2f}x {cell['candidate']}"
    return f"{cell['ratio']:.2f}x  "


def run(argv=None):
    """The bench command: returns the result dict (also printed)."""
    p = argparse.ArgumentParser(prog="python -m fastrelu bench", description=DESCRIPTION)
    add_arguments(p)
    return run_args(p.parse_args(argv))


def run_args(args):
    rows, sizes, dtypes, timing = _settings(args)
    env = environment()
    out = sys.stderr if args.json else sys.stdout
    _header(env, rows, timing, out)
    columns = [(n, dt) for n in sizes for dt in dtypes]
    labels = [f"{_size_label(n)} {_dtype_label(dt)}" for n, dt in columns]
    width = max(10, *(len(s) + 3 for s in labels))
    name_w = max([len("ufunc")] + [len(r.ufunc) for r in rows]) + 2
    print(f"{'ufunc':{name_w}s}" + "".join(f"{s:>{width}s}" for s in labels)
          + "  NumPy expression", file=out, flush=True)
    t0 = time.perf_counter()
    result_rows = []
    mismatches = 0
    for r in rows:
        cells = []
        print(f"{r.ufunc:{name_w}s}", end="", file=out, flush=True)
        for n, dt in columns:
            case = make_case(r, dt, n)
            cell = measure(case, **timing)
            del case
            mismatches += cell["status"] != "ok"
            cells.append(cell)
            print(f"{_fmt_cell(cell, len(r.baseline.expressions)):>{width}s}", end="",
                  file=out, flush=True)
        texts = [e.text for e in r.baseline.expressions]
        if len(texts) > 1:
            texts = [f"{_label(i)}: {t}" for i, t in enumerate(texts)]
        indent = " " * (name_w + width * len(columns))
        print("  " + f"\n{indent}  ".join(texts), file=out, flush=True)
        result_rows.append({
            "ufunc": r.ufunc, "activation": r.activation.name, "direction": r.direction,
            "expression": r.baseline.expr,
            "expressions": [e.text for e in r.baseline.expressions],
            "inputs": list(r.inputs), "params": r.params,
            "cells": cells,
        })
    elapsed = time.perf_counter() - t0
    print(f"\n{len(rows)} ufuncs x {len(columns)} columns in {elapsed:.1f} s"
          + (f"; {mismatches} MISMATCH cell(s): fastrelu and NumPy disagree" if mismatches else ""),
          file=out, flush=True)
    result = {
        "metric": "ratio = numpy_s / fastrelu_s (min per-call seconds); > 1 means fastrelu "
                  "is faster",
        "environment": env,
        "data": {"distribution": f"normal(0, {DATA_SCALE:g})", "seed": SEED},
        "timing": {"statistic": "min over interleaved A/B samples", **timing},
        "sizes": sizes,
        "dtypes": [dt.name for dt in dtypes],
        "rows": result_rows,
        "mismatches": mismatches,
        "elapsed_s": elapsed,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print(flush=True)
    return result


def main(argv=None):
    """Entry point used by ``python -m fastrelu bench``; returns an exit code."""
    result = run(argv)
    return 1 if result["mismatches"] else 0
