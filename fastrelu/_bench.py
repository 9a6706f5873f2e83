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

Other sides, timed in the same interleaved rounds as these two:

- ``np.copyto(o, x)`` on the same x (on unless ``--no-copy``): a table after
  the main one gives time(fastrelu) / time(copy), fastrelu's time in copies
  of x, the unit the speed targets are stated in.
- ``--vs torch``: the PyTorch CPU op (``TORCH_OPS``) on ``torch.from_numpy``
  views of the same arrays; its table gives time(torch) / time(fastrelu).
  torch is optional: without it ``--vs torch`` exits with status 2.

``--threads N`` runs fastrelu (``fastrelu.num_threads``) and torch
(``torch.set_num_threads``) with N threads; NumPy and the copy stay on one.

Adding a spec row: add its NumPy twins to ``BASELINES`` below (one
``@_baseline`` per ufunc; forward and backward are required, grad optional).
A forward/backward ufunc without one makes the bench (and the asv suite) fail
with a KeyError naming it.  A ``TORCH_OPS`` entry (``@_torch_op``) is
optional: a row without one has no torch cell.
"""

import argparse
import functools
import gc
import json
import math
import os
import platform
import sys
import textwrap
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
# PyTorch counterparts (``--vs torch``).  ``@_torch_op(ufunc, text)``
# registers one candidate: ``make(torch, *inputs, o)`` returns a zero-argument
# callable running the op on the torch inputs (``torch.from_numpy`` views of
# the very arrays fastrelu reads; parameters as Python floats, or as 1-element
# tensors for the names in ``tensor_params``) and returning the result tensor
# (or a tuple whose first item is it).  ``o`` is a preallocated output tensor
# for the out= forms.  As for NumPy, each cell is timed against the candidate
# that was fastest there: the functional form users call, or the out= form of
# the same ATen kernel (no allocation).  Backward rows are the ATen op that
# torch's autograd runs on CPU for that function, computed from x (not from
# the output), through ``torch.ops.aten`` (Python dispatch adds ~1-2 us per
# call that autograd's C++ call does not pay: visible at 1e3 only).  Grad
# rows have no torch counterpart.
# ---------------------------------------------------------------------------


@dataclass
class TorchOps:
    name: str  # fastrelu ufunc name
    expressions: list  # of Expression(text, make(torch, *inputs, o))
    tensor_params: tuple = ()  # parameters passed as 1-element tensors
    note: str = ""  # shown after the expressions


TORCH_OPS = {}
TORCH_LEGEND = "F = torch.nn.functional, aten = torch.ops.aten, o = preallocated out tensor"


def _torch_op(name, text, tensor_params=(), note=""):
    def register(make):
        ops = TORCH_OPS.setdefault(name, TorchOps(name, [], tuple(tensor_params), note))
        if any(e.text == text for e in ops.expressions):
            raise ValueError(f"duplicate torch op for {name!r}: {text}")
        ops.expressions.append(Expression(text, make))
        return make
    return register


@_torch_op("relu", "F.relu(x)", note="b is the kernel torch.relu runs")
def _t_relu(torch, x, o):
    return functools.partial(torch.nn.functional.relu, x)


@_torch_op("relu", "torch.clamp_min(x, 0, out=o)")
def _t_relu_out(torch, x, o):
    return functools.partial(torch.clamp_min, x, 0.0, out=o)


@_torch_op("relu_backward", "aten.threshold_backward(dy, x, 0)")
def _t_relu_backward(torch, dy, x, o):
    return functools.partial(torch.ops.aten.threshold_backward.default, dy, x, 0.0)


@_torch_op("relu_backward", "aten.threshold_backward.grad_input(dy, x, 0, grad_input=o)")
def _t_relu_backward_out(torch, dy, x, o):
    return functools.partial(torch.ops.aten.threshold_backward.grad_input, dy, x, 0.0,
                             grad_input=o)


@_torch_op("relu6", "F.relu6(x)", note="b is the kernel F.relu6 runs")
def _t_relu6(torch, x, o):
    return functools.partial(torch.nn.functional.relu6, x)


@_torch_op("relu6", "torch._C._nn.hardtanh(x, 0, 6, out=o)")
def _t_relu6_out(torch, x, o):
    return functools.partial(torch._C._nn.hardtanh, x, 0.0, 6.0, out=o)


@_torch_op("relu6_backward", "aten.hardtanh_backward(dy, x, 0, 6)")
def _t_relu6_backward(torch, dy, x, o):
    return functools.partial(torch.ops.aten.hardtanh_backward.default, dy, x, 0.0, 6.0)


@_torch_op("relu6_backward", "aten.hardtanh_backward.grad_input(dy, x, 0, 6, grad_input=o)")
def _t_relu6_backward_out(torch, dy, x, o):
    return functools.partial(torch.ops.aten.hardtanh_backward.grad_input, dy, x, 0.0, 6.0,
                             grad_input=o)


@_torch_op("leaky_relu", "F.leaky_relu(x, alpha)")
def _t_leaky(torch, x, alpha, o):
    return functools.partial(torch.nn.functional.leaky_relu, x, alpha)


@_torch_op("leaky_relu", "torch._C._nn.leaky_relu(x, alpha, out=o)")
def _t_leaky_out(torch, x, alpha, o):
    return functools.partial(torch._C._nn.leaky_relu, x, alpha, out=o)


@_torch_op("leaky_relu_backward", "aten.leaky_relu_backward(dy, x, alpha, False)")
def _t_leaky_backward(torch, dy, x, alpha, o):
    return functools.partial(torch.ops.aten.leaky_relu_backward.default, dy, x, alpha, False)


@_torch_op("leaky_relu_backward",
           "aten.leaky_relu_backward.grad_input(dy, x, alpha, False, grad_input=o)")
def _t_leaky_backward_out(torch, dy, x, alpha, o):
    return functools.partial(torch.ops.aten.leaky_relu_backward.grad_input, dy, x, alpha,
                             False, grad_input=o)


@_torch_op("prelu", "F.prelu(x, weight)", tensor_params=("weight",),
           note="weight: a 1-element tensor")
def _t_prelu(torch, x, weight, o):
    return functools.partial(torch.nn.functional.prelu, x, weight)


@_torch_op("prelu_backward", "aten._prelu_kernel_backward(dy, x, weight)",
           tensor_params=("weight",),
           note="as autograd runs it: also computes dweight per element, a second output")
def _t_prelu_backward(torch, dy, x, weight, o):
    return functools.partial(torch.ops.aten._prelu_kernel_backward.default, dy, x, weight)


@_torch_op("elu", "F.elu(x, alpha)")
def _t_elu(torch, x, alpha, o):
    return functools.partial(torch.nn.functional.elu, x, alpha)


@_torch_op("elu", "torch._C._nn.elu(x, alpha, 1, 1, out=o)")
def _t_elu_out(torch, x, alpha, o):
    return functools.partial(torch._C._nn.elu, x, alpha, 1.0, 1.0, out=o)


@_torch_op("elu_backward", "aten.elu_backward(dy, alpha, 1, 1, False, x)")
def _t_elu_backward(torch, dy, x, alpha, o):
    return functools.partial(torch.ops.aten.elu_backward.default, dy, alpha, 1.0, 1.0, False, x)


@_torch_op("elu_backward", "aten.elu_backward.grad_input(dy, alpha, 1, 1, False, x, "
           "grad_input=o)")
def _t_elu_backward_out(torch, dy, x, alpha, o):
    return functools.partial(torch.ops.aten.elu_backward.grad_input, dy, alpha, 1.0, 1.0,
                             False, x, grad_input=o)


class TorchUnavailable(Exception):
    """``import torch`` failed (torch is optional, never required)."""


def import_torch():
    """The torch module, or TorchUnavailable with the reason."""
    try:
        import torch
        import torch.nn.functional  # noqa: F401
    except Exception as exc:  # ImportError, or a broken install (OSError, ...)
        raise TorchUnavailable(f"{type(exc).__name__}: {exc}") from None
    if torch is None:  # pragma: no cover - sys.modules['torch'] = None raises above
        raise TorchUnavailable("torch is None")
    return torch


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


def make_case(row_or_name, dtype, size, seed=SEED, stride=1):
    """Build the arrays and the zero-argument callables for one cell.

    ``stride > 1`` makes every array (inputs and outputs) a ``[::stride]``
    view of a buffer ``stride`` times longer, holding the same ``size``
    values as the contiguous case.
    """
    import fastrelu

    r = row(row_or_name) if isinstance(row_or_name, str) else row_or_name
    dt = np.dtype(dtype)
    rng = np.random.default_rng(seed)
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got {stride}")

    def layout(values):
        if stride == 1:
            return values
        buf = np.zeros(size * stride, dtype=dt)
        buf[::stride] = values
        return buf[::stride]

    def empty():
        return layout(np.empty(size, dtype=dt)) if stride > 1 else np.empty(size, dtype=dt)

    x = layout((rng.standard_normal(size) * DATA_SCALE).astype(dt))
    dy = layout(rng.standard_normal(size).astype(dt))
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
    out_fr = empty()
    run_fastrelu = functools.partial(getattr(fastrelu, r.ufunc), *args, out=out_fr)
    outs, runs = [], []
    for expression in r.baseline.expressions:
        o = empty()
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


@dataclass
class TorchCase:
    """The torch side of one cell (``--vs torch``)."""
    ops: TorchOps
    status: str  # "ok", "mismatch" (disagrees with fastrelu) or "unsupported" (dtype)
    runs: list  # () -> tensor, one per candidate
    out: object  # the NumPy array behind the out= tensor
    best: int = 0
    max_abs_diff: float = float("nan")
    reason: str = ""

    @property
    def run(self):
        return self.runs[self.best]

    @property
    def expression(self):
        return self.ops.expressions[self.best].text


def make_torch_case(case, torch):
    """The torch counterpart of ``case`` on the same arrays; None if the ufunc has none."""
    ops = TORCH_OPS.get(case.row.ufunc)
    if ops is None:
        return None
    try:
        tdt = torch.from_numpy(np.empty(0, dtype=case.dtype)).dtype
    except TypeError as exc:  # e.g. longdouble
        return TorchCase(ops, "unsupported", [], None, reason=str(exc))
    inputs = []
    for name, a in zip(case.row.inputs, case.args):
        if isinstance(a, np.ndarray):
            inputs.append(torch.from_numpy(a))  # shares memory: the same values
        elif name in ops.tensor_params:
            inputs.append(torch.tensor([float(a)], dtype=tdt))
        else:
            inputs.append(float(a))  # exact: a is an x.dtype scalar
    out = np.empty(case.size, dtype=case.dtype)
    o = torch.from_numpy(out)
    runs = [e.make(torch, *inputs, o) for e in ops.expressions]
    return TorchCase(ops, "ok", runs, out)


def check_torch_case(tcase, case):
    """Every torch candidate must agree with fastrelu's output (run ``check_case`` first).

    Same tolerance as for NumPy (64 eps); sets ``tcase.status``.
    """
    if tcase.status == "unsupported":
        return False
    ref = case.out_fastrelu
    eps = float(np.finfo(case.dtype).eps)
    ok, worst = bool(np.isfinite(ref).all()), 0.0
    for run in tcase.runs:
        tcase.out.fill(np.nan)
        res = run()
        if isinstance(res, (tuple, list)):
            res = res[0]
        got = res.numpy()
        if not (ok and got.shape == ref.shape and np.isfinite(got).all()):
            ok, worst = False, float("nan")
            break
        worst = max(worst, float(np.max(np.abs(got.astype(np.float64) - ref.astype(np.float64)),
                                        initial=0.0)))
        ok = ok and bool(np.allclose(got, ref, rtol=64 * eps, atol=64 * eps))
    tcase.status = "ok" if ok else "mismatch"
    tcase.max_abs_diff = worst
    return ok


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


def time_sides(fns, budget=0.2, sample_time=2e-3, min_repeat=5, max_repeat=200):
    """Time several callables interleaved: rounds in order, then reversed (A B C, C B A, ...).

    Each sample calls one side enough times to last about ``sample_time``.
    Keeps taking rounds until ``budget`` seconds have passed and at least
    ``min_repeat`` rounds were taken (at most ``max_repeat``).  Returns
    per-call seconds and the number of rounds: ``(mins, medians, rounds)``.
    """
    calls = [_calls_per_sample(f, sample_time) for f in fns]
    samples = [[] for _ in fns]
    order = list(range(len(fns)))
    rounds = 0
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        while rounds < max_repeat:
            for i in (order if rounds % 2 == 0 else order[::-1]):
                samples[i].append(_sample(fns[i], calls[i]))
            rounds += 1
            if rounds >= min_repeat and time.perf_counter() - start >= budget:
                break
    finally:
        if gc_was_enabled:
            gc.enable()
    return [min(s) for s in samples], [float(np.median(s)) for s in samples], rounds


def time_pair(fa, fb, budget=0.2, sample_time=2e-3, min_repeat=5, max_repeat=200):
    """Time two callables interleaved (A/B, B/A, ...).

    Returns per-call seconds: ``(min_a, min_b, median_a, median_b, repeats)``.
    """
    (min_a, min_b), (med_a, med_b), reps = time_sides(
        [fa, fb], budget=budget, sample_time=sample_time, min_repeat=min_repeat,
        max_repeat=max_repeat)
    return min_a, min_b, med_a, med_b, reps


def fastest(runs, sample_time=2e-3, rounds=3):
    """Index of the fastest of ``runs`` (zero-argument callables) in a short trial."""
    if len(runs) < 2:
        return 0
    calls = [_calls_per_sample(run, sample_time) for run in runs]
    best = [math.inf] * len(calls)
    for _ in range(rounds):
        for i, (run, n) in enumerate(zip(runs, calls)):
            best[i] = min(best[i], _sample(run, n))
    return best.index(min(best))


def choose_numpy(case, sample_time=2e-3, rounds=3):
    """Pick the fastest candidate expression for this cell (sets ``case.best``)."""
    case.best = fastest(case.runs_numpy, sample_time, rounds)
    return case.best


COPY_EXPRESSION = "np.copyto(o, x)"


def measure(case, torch_case=None, copy=True, **timing):
    """One cell: sanity checks, choice of candidates, interleaved timing of every side.

    Sides: the NumPy expression, fastrelu, and optionally ``np.copyto(o, x)``
    (a reference: the time of one copy of x) and the torch op.  Returns a
    JSON-ready dict.
    """
    cell = {"size": case.size, "dtype": case.dtype.name}
    ok, diff = check_case(case)
    cell["max_abs_diff"] = diff
    if torch_case is not None:
        check_torch_case(torch_case, case)
        cell.update(torch_status=torch_case.status, torch_ratio=None,
                    torch_max_abs_diff=torch_case.max_abs_diff)
        if torch_case.reason:
            cell["torch_reason"] = torch_case.reason
    if not ok:
        cell.update(status="mismatch", ratio=None)
        return cell
    sample_time = timing.get("sample_time", 2e-3)
    choose_numpy(case, sample_time=sample_time)
    sides = {"numpy": case.run_numpy, "fastrelu": case.run_fastrelu}
    if copy:
        x = case.args[case.row.inputs.index("x")]
        sides["copy"] = functools.partial(np.copyto, np.empty_like(x), x)
    if torch_case is not None and torch_case.status == "ok":
        torch_case.best = fastest(torch_case.runs, sample_time)
        sides["torch"] = torch_case.run
    mins, medians, reps = time_sides(list(sides.values()), **timing)
    t, med = dict(zip(sides, mins)), dict(zip(sides, medians))
    cell.update(status="ok", ratio=t["numpy"] / t["fastrelu"], numpy_s=t["numpy"],
                fastrelu_s=t["fastrelu"], numpy_median_s=med["numpy"],
                fastrelu_median_s=med["fastrelu"], repeats=reps,
                candidate=_label(case.best), expression=case.expression)
    if copy:
        cell.update(copy_s=t["copy"], copy_median_s=med["copy"],
                    fastrelu_over_copy=t["fastrelu"] / t["copy"])
    if "torch" in sides:
        cell.update(torch_ratio=t["torch"] / t["fastrelu"], torch_s=t["torch"],
                    torch_median_s=med["torch"], torch_candidate=_label(torch_case.best),
                    torch_expression=torch_case.expression)
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
    try:
        value = float(s)
    except ValueError:
        value = float("nan")
    if not (value >= 1 and value == int(value)):
        raise SystemExit(f"fastrelu bench: --sizes takes whole numbers >= 1 "
                         f"(1000, 1e5), got {s!r}")
    return int(value)


def _fmt_time(s):
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if s >= scale:
            return f"{s / scale:.3g}{unit}"
    return f"{s / 1e-9:.3g}ns"


EPILOG = """\
examples:
  python -m fastrelu bench                                  the full table (~40 s)
  python -m fastrelu bench --functions relu --sizes 1e5     one activation, one size
  python -m fastrelu bench --vs torch                       add PyTorch CPU ratios (torch must
                                                            be installed; one thread each)
  python -m fastrelu bench --vs torch --threads 2 --sizes 10000000 --dtypes float32
        the interesting multi-threaded case: fastrelu and torch with 2 threads each at 1e7
        (fastrelu splits contiguous loops of >= 65536 elements; NumPy stays on 1 thread)

Every cell also times np.copyto(o, x) on the same x (off with --no-copy): the table
"fastrelu time / copy time" after the main one reads as "relu at 1e5 takes 1.05 copies".
"""


def add_arguments(p):
    p.add_argument("--json", action="store_true",
                   help="print the results as JSON on stdout (progress goes to stderr)")
    p.add_argument("--sizes", nargs="+", metavar="N",
                   help="array sizes (default 1e3 1e5 1e6; '1e4,1e5' also works; "
                        "add 1e7 with --threads, see below)")
    p.add_argument("--dtypes", nargs="+", metavar="DTYPE",
                   help="float dtypes (default float32 float64)")
    p.add_argument("--functions", nargs="+", metavar="NAME",
                   help="ufunc names (relu_backward) or activation names (relu = its "
                        "forward, grad and backward); default all")
    p.add_argument("--directions", nargs="+", metavar="DIR",
                   help="forward, grad, backward (default all three)")
    p.add_argument("--vs", nargs="+", metavar="LIB", default=[],
                   help="also compare with LIB, timed interleaved in the same cells: "
                        "'torch' adds a table time(PyTorch CPU op) / time(fastrelu) (needs "
                        "torch installed: optional, never required; grad rows have "
                        "no torch counterpart)")
    p.add_argument("--threads", type=int, default=1, metavar="N",
                   help="threads for fastrelu (fastrelu.num_threads) and for torch "
                        "(torch.set_num_threads); default 1. '--threads 2 --sizes 10000000' "
                        "is the interesting case: loops of >= 65536 contiguous elements are "
                        "split")
    p.add_argument("--no-copy", dest="copy", action="store_false",
                   help="do not time the np.copyto(o, x) reference (the 'in copies' table)")
    p.add_argument("--repeat", type=int, metavar="N",
                   help="exactly N interleaved rounds per cell (instead of a time budget)")
    p.add_argument("--budget", type=float, default=30.0, metavar="SECONDS",
                   help="target timing time for the whole table (default 30; setup, checks "
                        "and calibration come on top; each cell's sides share its time)")
    p.add_argument("--quick", action="store_true",
                   help="few, short samples: a smoke test, not a measurement")


# argparse settings shared by ``python -m fastrelu bench`` and ``run()``
PARSER_TEXT = dict(description=textwrap.fill(DESCRIPTION, 79), epilog=EPILOG,
                   formatter_class=argparse.RawDescriptionHelpFormatter)
VS_CHOICES = ("torch",)


@dataclass
class Settings:
    rows: list
    sizes: list
    dtypes: list
    timing: dict
    threads: int = 1
    copy: bool = True
    torch: object = None  # the torch module with --vs torch


def _load_torch_or_exit():
    try:
        return import_torch()
    except TorchUnavailable as exc:
        print(f"fastrelu bench: --vs torch needs PyTorch, which cannot be imported here "
              f"({exc}); install a CPU build of PyTorch yourself (fastrelu never requires it) or drop --vs torch",
              file=sys.stderr, flush=True)
        raise SystemExit(2) from None


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
    vs = _parse_list(getattr(args, "vs", None), str)
    bad = sorted(set(vs) - set(VS_CHOICES))
    if bad:
        raise SystemExit(f"fastrelu bench: --vs {', '.join(bad)}: choose from "
                         f"{', '.join(VS_CHOICES)}")
    threads = getattr(args, "threads", 1)
    import fastrelu

    max_threads = getattr(fastrelu._ufuncs, "MAX_THREADS", None)
    if threads < 1 or (max_threads is not None and threads > max_threads):
        raise SystemExit(f"fastrelu bench: --threads must be between 1 and "
                         f"{max_threads or 'the maximum'}, got {threads}")
    if not (args.budget > 0 and math.isfinite(args.budget)):
        raise SystemExit(f"fastrelu bench: --budget must be a positive number of seconds, "
                         f"got {args.budget}")
    rows = select_rows(_parse_list(args.functions, str), directions)
    if not rows:
        raise SystemExit("fastrelu bench: no ufunc matches --functions "
                         f"{' '.join(_parse_list(args.functions, str))} with --directions "
                         f"{' '.join(directions)}")
    torch = _load_torch_or_exit() if "torch" in vs else None
    copy = getattr(args, "copy", True)
    cells = max(1, len(rows) * len(sizes) * len(dtypes))
    sides = 2 + bool(copy) + (torch is not None)
    if args.quick:
        timing = dict(budget=0.0, sample_time=2e-4, min_repeat=args.repeat or 3,
                      max_repeat=args.repeat or 3)
    elif args.repeat:
        timing = dict(budget=0.0, min_repeat=args.repeat, max_repeat=args.repeat)
    else:
        per_cell = min(0.25 * sides, max(0.015 * sides, args.budget / cells))
        timing = dict(budget=per_cell)
    return Settings(rows, sizes, dtypes, timing, threads, copy, torch)


def _threads_text(s):
    import fastrelu

    openmp = getattr(fastrelu._ufuncs, "HAVE_OPENMP", False)
    if s.threads == 1:
        fr = "fastrelu 1"
    elif openmp:
        fr = (f"fastrelu {s.threads} (OpenMP: contiguous loops of >= "
              f"{getattr(fastrelu._ufuncs, 'PARALLEL_MIN', '?')} elements split)")
    else:
        fr = f"fastrelu 1 (--threads {s.threads} ignored: this build has no OpenMP)"
    text = f"{fr}, NumPy 1"
    if s.torch is not None:
        text += f", torch {s.threads}"
    if s.copy:
        text += ", np.copyto 1"
    return text


def _header(env, s, out):
    rows, timing = s.rows, s.timing
    params = ", ".join(f"{r.ufunc} " + " ".join(f"{k}={v:g}" for k, v in r.params.items())
                       for r in rows if r.direction == "forward" and r.params)
    print(f"fastrelu {env['fastrelu']} bench: time(NumPy expression) / time(fastrelu), "
          "both into a preallocated out; > 1 means fastrelu is faster", file=out)
    print(f"  numpy {env['numpy']}, python {env['python']}, {env['platform']}"
          + (f", torch {env['torch']}" if "torch" in env else ""), file=out)
    print(f"  cpu {env['cpu']} ({env['cpu_count']} cores), fastrelu built with "
          f"{' '.join(env['compiler_flags']) or '?'}", file=out)
    print(f"  threads: {_threads_text(s)}", file=out)
    how = (f"{timing['min_repeat']} rounds" if timing.get("budget", 1) == 0
           else f"rounds for ~{timing['budget']:.2g} s per cell")
    sides = "A/B pairs" if not (s.copy or s.torch) else "rounds (every side once per round)"
    print(f"  min per-call time over interleaved {sides}, {how}; inputs normal(0, "
          f"{DATA_SCALE:g}), seed {SEED}; constants are x.dtype scalars", file=out)
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


def _fmt_torch_cell(cell, candidates=1):
    status = cell.get("torch_status")
    if status == "mismatch":
        return "MISMATCH"
    if status == "unsupported":
        return "n/a  "
    if cell.get("torch_ratio") is None:
        return "-  "
    if candidates > 1:
        return f"{cell['torch_ratio']:.2f}x {cell['torch_candidate']}"
    return f"{cell['torch_ratio']:.2f}x  "


def _fmt_copy_cell(cell):
    if "fastrelu_over_copy" not in cell:
        return "-  "
    return f"{cell['fastrelu_over_copy']:.2f}x  "


def _expression_lines(texts, indent):
    if len(texts) > 1:
        texts = [f"{_label(i)}: {t}" for i, t in enumerate(texts)]
    return "  " + f"\n{indent}  ".join(texts)


def _torch_table(s, env, results, labels, name_w, width, out):
    print(f"\nvs PyTorch {env.get('torch', '?')} (CPU, {s.threads} thread"
          f"{'s' if s.threads > 1 else ''}): time(torch op) / time(fastrelu), same arrays "
          "(torch.from_numpy), timed in the same rounds; > 1 means fastrelu is faster",
          file=out)
    print(f"  each cell: the faster of the torch forms listed (a, b); {TORCH_LEGEND}",
          file=out)
    print(f"{'ufunc':{name_w}s}" + "".join(f"{x:>{width}s}" for x in labels) + "  torch op",
          file=out)
    shown = 0
    for r, cells in results:
        ops = TORCH_OPS.get(r.ufunc)
        if ops is None:
            continue
        shown += 1
        texts = [e.text for e in ops.expressions]
        line = f"{r.ufunc:{name_w}s}" + "".join(
            f"{_fmt_torch_cell(c, len(texts)):>{width}s}" for c in cells)
        indent = " " * (name_w + width * len(cells))
        if ops.note:
            texts[-1] += f"  [{ops.note}]"
        print(line + _expression_lines(texts, indent), file=out)
    if not shown:
        print("  (no selected row has a torch counterpart: grad rows have none)", file=out)


def _copy_table(results, columns, labels, name_w, width, out):
    print(f"\nfastrelu time / time({COPY_EXPRESSION}) on the same x, timed in the same "
          "rounds: fastrelu's time in copies of x (< 1 is faster than a copy)", file=out)
    print(f"{'ufunc':{name_w}s}" + "".join(f"{x:>{width}s}" for x in labels), file=out)
    best = []
    for j in range(len(columns)):
        ts = [cells[j]["copy_s"] for _, cells in results if "copy_s" in cells[j]]
        best.append(_fmt_time(min(ts)) + "  " if ts else "-  ")
    print(f"{COPY_EXPRESSION:{name_w}s}" + "".join(f"{b:>{width}s}" for b in best)
          + "  (its fastest per-call time in the column)", file=out)
    for r, cells in results:
        line = f"{r.ufunc:{name_w}s}" + "".join(
            f"{_fmt_copy_cell(c):>{width}s}" for c in cells)
        print(line.rstrip(), file=out)


def run(argv=None):
    """The bench command: returns the result dict (also printed)."""
    p = argparse.ArgumentParser(prog="python -m fastrelu bench", **PARSER_TEXT)
    add_arguments(p)
    return run_args(p.parse_args(argv))


def run_args(args):
    import fastrelu

    s = _settings(args)
    rows, sizes, dtypes, timing = s.rows, s.sizes, s.dtypes, s.timing
    env = environment()
    if s.torch is not None:
        env["torch"] = s.torch.__version__
    out = sys.stderr if args.json else sys.stdout
    _header(env, s, out)
    columns = [(n, dt) for n in sizes for dt in dtypes]
    labels = [f"{_size_label(n)} {_dtype_label(dt)}" for n, dt in columns]
    width = max(10, *(len(x) + 3 for x in labels))
    name_w = max([len("ufunc"), len(COPY_EXPRESSION) if s.copy else 0]
                 + [len(r.ufunc) for r in rows]) + 2
    print(f"{'ufunc':{name_w}s}" + "".join(f"{x:>{width}s}" for x in labels)
          + "  NumPy expression", file=out, flush=True)
    t0 = time.perf_counter()
    result_rows, results = [], []
    mismatches = torch_mismatches = 0
    torch_threads_before = s.torch.get_num_threads() if s.torch is not None else None
    try:
        if s.torch is not None:
            s.torch.set_num_threads(s.threads)
        with fastrelu.num_threads(s.threads):
            for r in rows:
                cells = []
                print(f"{r.ufunc:{name_w}s}", end="", file=out, flush=True)
                for n, dt in columns:
                    case = make_case(r, dt, n)
                    tcase = make_torch_case(case, s.torch) if s.torch is not None else None
                    cell = measure(case, tcase, copy=s.copy, **timing)
                    del case, tcase
                    mismatches += cell["status"] != "ok"
                    torch_mismatches += cell.get("torch_status") == "mismatch"
                    cells.append(cell)
                    print(f"{_fmt_cell(cell, len(r.baseline.expressions)):>{width}s}", end="",
                          file=out, flush=True)
                indent = " " * (name_w + width * len(columns))
                print(_expression_lines([e.text for e in r.baseline.expressions], indent),
                      file=out, flush=True)
                results.append((r, cells))
                ops = TORCH_OPS.get(r.ufunc)
                result_rows.append({
                    "ufunc": r.ufunc, "activation": r.activation.name,
                    "direction": r.direction, "expression": r.baseline.expr,
                    "expressions": [e.text for e in r.baseline.expressions],
                    "torch_expressions": ([e.text for e in ops.expressions]
                                          if s.torch is not None and ops else None),
                    "torch_note": ops.note if s.torch is not None and ops else None,
                    "inputs": list(r.inputs), "params": r.params,
                    "cells": cells,
                })
    finally:
        if s.torch is not None:
            s.torch.set_num_threads(torch_threads_before)
    if s.torch is not None:
        _torch_table(s, env, results, labels, name_w, width, out)
    if s.copy:
        _copy_table(results, columns, labels, name_w, width, out)
    elapsed = time.perf_counter() - t0
    print(f"\n{len(rows)} ufuncs x {len(columns)} columns in {elapsed:.1f} s"
          + (f"; {mismatches} MISMATCH cell(s): fastrelu and NumPy disagree" if mismatches else "")
          + (f"; {torch_mismatches} torch MISMATCH cell(s): fastrelu and the torch op "
             "disagree" if torch_mismatches else ""),
          file=out, flush=True)
    result = {
        "metric": "ratio = numpy_s / fastrelu_s (min per-call seconds); > 1 means fastrelu "
                  "is faster",
        "environment": env,
        "data": {"distribution": f"normal(0, {DATA_SCALE:g})", "seed": SEED},
        "timing": {"statistic": "min over interleaved rounds (every side once per round)",
                   **timing},
        "threads": {"fastrelu": s.threads, "numpy": 1,
                    "torch": s.threads if s.torch is not None else None},
        "copy": ({"expression": COPY_EXPRESSION,
                  "metric": "fastrelu_over_copy = fastrelu_s / copy_s; < 1 means fastrelu "
                            "is faster than one copy of x"} if s.copy else None),
        "torch": ({"version": s.torch.__version__, "threads": s.threads,
                   "metric": "torch_ratio = torch_s / fastrelu_s; > 1 means fastrelu is "
                             "faster",
                   "legend": TORCH_LEGEND} if s.torch is not None else None),
        "sizes": sizes,
        "dtypes": [dt.name for dt in dtypes],
        "rows": result_rows,
        "mismatches": mismatches,
        "torch_mismatches": torch_mismatches,
        "elapsed_s": elapsed,
    }
    if args.json:
        json.dump(result, sys.stdout, indent=1)
        print(flush=True)
    return result


def exit_code(result):
    """1 if any cell disagreed (with NumPy or with torch), else 0."""
    return 1 if result["mismatches"] or result.get("torch_mismatches") else 0


def main(argv=None):
    """Entry point used by ``python -m fastrelu bench``; returns an exit code."""
    return exit_code(run(argv))
