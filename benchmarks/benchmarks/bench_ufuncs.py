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

Parameters: function (every ufunc with a NumPy baseline: forward, grad,
backward) x dtype (float32, float64) x size (1e3, 1e5, 1e6).  The NumPy
expressions, the input data and the side-by-side timing are those of
``python -m fastrelu bench`` (``fastrelu/_bench.py``), defined once there.

- ``time_fastrelu``: the fastrelu ufunc into a preallocated ``out``.
- ``time_numpy``: the NumPy expression into a preallocated ``out`` (for ufuncs
  with several candidate expressions, the one that was fastest in a short
  trial during setup, as in the bench table).
- ``track_speedup``: numpy time / fastrelu time, measured interleaved in one
  process (> 1: fastrelu faster); robust to machine drift between the two
  ``time_*`` benchmarks.
"""

from fastrelu import _bench

FUNCTIONS = [r.ufunc for r in _bench.all_rows()]  # KeyError here if a baseline is missing
DTYPES = ["float32", "float64"]
SIZES = [1_000, 100_000, 1_000_000]


class Ufuncs:
    params = (FUNCTIONS, DTYPES, SIZES)
    param_names = ("function", "dtype", "size")

    def setup(self, function, dtype, size):
        self.case = _bench.make_case(function, dtype, size)
        ok, diff = _bench.check_case(self.case)
        if not ok:
            raise ValueError(f"{function} {dtype} n={size}: fastrelu and the NumPy expression "
                             f"disagree (max abs diff {diff})")
        _bench.choose_numpy(self.case, sample_time=1e-3)

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
