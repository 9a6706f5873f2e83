"""asv suite: every fastrelu ufunc against its plain NumPy expression.

Run (CI smoke test), from the ``benchmarks/`` directory:

    asv machine --yes                               # once per machine, non-interactive
    asv run --python=same --quick --show-stderr     # every benchmark once, no building

or from the repository root:

    asv machine --yes --config benchmarks/asv.conf.json
    asv run --config benchmarks/asv.conf.json --python=same --quick --show-stderr

``--python=same`` times the fastrelu importable from the current Python (an
editable install: ``pip install --no-build-isolation -e .``).  A real
measurement drops ``--quick``; ``asv continuous main HEAD`` compares commits
(that builds them, in ``benchmarks/env``).

``Ufuncs`` and ``Speedup``: function (every ufunc with a NumPy baseline:
forward, grad, backward) x dtype (float32, float64) x size (1e3, 1e5, 1e6).  The NumPy
expressions, the input data and the side-by-side timing are those of
``python -m fastrelu bench`` (``fastrelu/_bench.py``), defined once there.

- ``time_fastrelu``: the fastrelu ufunc into a preallocated ``out``.
- ``time_numpy``: the NumPy expression into a preallocated ``out`` (for ufuncs
  with several candidate expressions, the one that was fastest in a short
  trial during setup, as in the bench table).
- ``track_speedup``: numpy time / fastrelu time, measured interleaved in one
  process (> 1: fastrelu faster); robust to machine drift between the two
  ``time_*`` benchmarks.

More layouts, same functions and data:

- ``InPlace``: ``f(x, out=x)`` (backward: ``f(dy, x, out=dy)``), every sample
  on a fresh copy of the input (see the class for how that is timed).
- ``Strided``: every input and the output a ``[::2]`` view (``x[::2]`` into
  ``out[::2]``), fastrelu and the NumPy expression on the same views.
- ``Small``: n = 1, 10, 100, where the per-call cost dominates.
- ``CallOverhead``: ``relu`` against ``np.maximum(x, 0, out=o)`` at n = 1 and
  1000, both called directly (no Python frame of ours around either).

``Strided`` runs 1e3 and 1e5 only and ``Small`` has no ``time_numpy`` (see
there): each parameter combination costs ~0.1 s even with ``--quick``, and the
smoke run should stay near a minute.

Setup re-runs before every sample on current asv (setup hooks isolate timed
calls), so the expensive part of it (data, checks, the choice of NumPy
candidate) is made once per process and reused (``_case``).  Benchmarks that
time sub-microsecond calls loop over ``CALLS`` calls inside the timed
function, so asv's own per-call overhead is spread over them: their times are
for ``CALLS`` calls.
"""

import functools

import numpy as np

import fastrelu
from fastrelu import _bench

FUNCTIONS = [r.ufunc for r in _bench.all_rows()]  # KeyError here if a baseline is missing
DTYPES = ["float32", "float64"]
SIZES = [1_000, 100_000, 1_000_000]
SMALL_SIZES = [1, 10, 100]
STRIDED_SIZES = [1_000, 100_000]  # 1e6 adds little to 1e5 (both beyond L2) but ~10 s to the smoke
CALLS = 100  # calls per timed function where one call is sub-microsecond
_CALLS = range(CALLS)

_last_case = {}


def _case(function, dtype, size, stride=1):
    """``_bench.make_case``, checked, NumPy candidate chosen; cached for the last key.

    asv runs setup again before every sample; this keeps that cheap without
    holding the arrays of every parameter combination.
    """
    key = (function, dtype, size, stride)
    if key not in _last_case:
        _last_case.clear()
        case = _bench.make_case(function, dtype, size, stride=stride)
        ok, diff = _bench.check_case(case)
        if not ok:
            raise ValueError(f"{function} {dtype} n={size} stride={stride}: fastrelu and the "
                             f"NumPy expression disagree (max abs diff {diff})")
        _bench.choose_numpy(case, sample_time=1e-3)
        _last_case[key] = case
    return _last_case[key]


class Ufuncs:
    params = (FUNCTIONS, DTYPES, SIZES)
    param_names = ("function", "dtype", "size")

    def setup(self, function, dtype, size):
        self.case = _case(function, dtype, size)

    def time_fastrelu(self, function, dtype, size):
        self.case.run_fastrelu()

    def time_numpy(self, function, dtype, size):
        self.case.run_numpy()


class Speedup:
    params = (FUNCTIONS, DTYPES, SIZES)
    param_names = ("function", "dtype", "size")
    unit = "x (numpy time / fastrelu time)"
    timeout = 300

    def setup(self, function, dtype, size):
        Ufuncs.setup(self, function, dtype, size)

    def track_speedup(self, function, dtype, size):
        t_np, t_fr, *_ = _bench.time_pair(self.case.run_numpy, self.case.run_fastrelu,
                                          budget=0.05, sample_time=1e-3, min_repeat=3)
        return round(t_np / t_fr, 3)


class InPlace:
    """``f(x, out=x)``; backward rows ``f(dy, x, out=dy)`` (the gradient buffer reused).

    An in-place call must see fresh input every time: repeated on its own
    output it would time other data (relu's output has no negatives;
    leaky_relu applied again and again drives negatives into subnormals).  So
    ``number = 1``: asv runs ``setup``, which copies the pristine input into
    the work array (not timed), before every sample, and each sample times
    exactly one call.  The work array is then hot in cache, as data about to
    be transformed in place usually is (it was just produced).  One call per
    sample also means asv's own per-call overhead (~0.1-0.2 us) is in every
    sample: visible at 1e3, negligible from 1e5.  Compare with
    ``Ufuncs.time_fastrelu`` (same data, into a separate ``out``).
    """
    params = (FUNCTIONS, DTYPES, SIZES)
    param_names = ("function", "dtype", "size")
    number = 1
    repeat = (10, 100, 5.0)  # (min, max samples, max seconds): single calls are noisy

    def setup(self, function, dtype, size):
        case = _case(function, dtype, size)
        pristine = case.args[0]  # x (forward, grad) or dy (backward)
        work = getattr(self, "work", None)
        if work is None or work.dtype != pristine.dtype or work.shape != pristine.shape:
            work = self.work = np.empty_like(pristine)
        np.copyto(work, pristine)
        self.call = functools.partial(getattr(fastrelu, function), work, *case.args[1:],
                                      out=work)

    def time_fastrelu(self, function, dtype, size):
        self.call()


class Strided:
    """Every input and the output a ``[::2]`` view: ``f(x[::2], out=o[::2])``.

    ``size`` counts the elements computed (the buffers are twice as long).
    fastrelu takes its strided loop (no SIMD, no threads); the NumPy
    expression runs on the same views.
    """
    params = (FUNCTIONS, DTYPES, STRIDED_SIZES)
    param_names = ("function", "dtype", "size")

    def setup(self, function, dtype, size):
        self.case = _case(function, dtype, size, stride=2)

    def time_fastrelu(self, function, dtype, size):
        self.case.run_fastrelu()

    def time_numpy(self, function, dtype, size):
        self.case.run_numpy()


class Small:
    """n = 1, 10, 100: the call overhead dominates.

    ``time_fastrelu`` is for ``CALLS`` calls; ``track_speedup`` is numpy time /
    fastrelu time measured interleaved (the NumPy side's own time is in that
    ratio; a separate ``time_numpy`` would add ~5 s to the smoke run).
    """
    params = (FUNCTIONS, DTYPES, SMALL_SIZES)
    param_names = ("function", "dtype", "size")

    def setup(self, function, dtype, size):
        self.case = _case(function, dtype, size)

    def time_fastrelu(self, function, dtype, size):
        run = self.case.run_fastrelu
        for _ in _CALLS:
            run()

    def track_speedup(self, function, dtype, size):
        t_np, t_fr, *_ = _bench.time_pair(self.case.run_numpy, self.case.run_fastrelu,
                                          budget=0.02, sample_time=5e-4, min_repeat=3)
        return round(t_np / t_fr, 3)

    track_speedup.unit = "x (numpy time / fastrelu time)"


class CallOverhead:
    """``fastrelu.relu(x, out=o)`` against ``np.maximum(x, 0, out=o)`` (0 an x.dtype scalar).

    Both are ``functools.partial`` objects around the ufunc, so the timed loop
    runs nothing of ours between calls.  ``time_*`` are for ``CALLS`` calls;
    ``track_relu_over_maximum`` is time(relu) / time(np.maximum) measured
    interleaved (< 1: relu is cheaper per call).
    """
    params = (DTYPES, [1, 1_000])
    param_names = ("dtype", "size")

    def setup(self, dtype, size):
        dt = np.dtype(dtype)
        x = (np.random.default_rng(_bench.SEED).standard_normal(size)
             * _bench.DATA_SCALE).astype(dt)
        self.relu = functools.partial(fastrelu.relu, x, out=np.empty_like(x))
        self.maximum = functools.partial(np.maximum, x, dt.type(0), out=np.empty_like(x))

    def time_relu(self, dtype, size):
        run = self.relu
        for _ in _CALLS:
            run()

    def time_maximum(self, dtype, size):
        run = self.maximum
        for _ in _CALLS:
            run()

    def track_relu_over_maximum(self, dtype, size):
        t_max, t_relu, *_ = _bench.time_pair(self.maximum, self.relu, budget=0.05,
                                             sample_time=5e-4, min_repeat=5)
        return round(t_relu / t_max, 3)

    track_relu_over_maximum.unit = "x (relu time / np.maximum time)"
