"""Opt-in threads: the API, FASTRELU_NUM_THREADS, and thread mode giving exactly
what one thread gives.

* ``set_num_threads`` / ``get_num_threads`` / ``num_threads`` (restores, also on
  an exception), bad values rejected with an error naming fastrelu;
  ``FASTRELU_NUM_THREADS`` read at import (fresh interpreters).
* Only large contiguous loops split (observed in a fresh interpreter through
  the threads the OpenMP runtime starts, Linux ``/proc/self/task``).
* Every ufunc x loop type with 2 (and 3) threads is bit-identical to 1 thread
  on long contiguous arrays of odd length (partial last chunk), with scalar and
  array parameters, out of place and in place, and raises the same
  floating-point warnings; a true overflow or an ``invalid`` computed by a
  worker thread (in the last chunk) still reaches ``np.errstate``.
* A child forked after heavy threaded use works on one thread; 8 Python
  threads calling ufuncs in thread mode get the serial results.

With a build without OpenMP the same tests run: ``set_num_threads(2)`` is
accepted, ``get_num_threads()`` reports 1 and everything stays serial.
"""

import concurrent.futures
import io
import json
import os

import numpy as np
import pytest

import fastrelu
from conftest import (CASES, assert_same_bits, check_values, describe,
                      float_specials, pool, run_python, samples, window)
from fastrelu import _spec

HAVE_OPENMP = bool(fastrelu._ufuncs.HAVE_OPENMP)
PM = fastrelu._ufuncs.PARALLEL_MIN
MAX_THREADS = fastrelu._ufuncs.MAX_THREADS
# >= 3 * PARALLEL_MIN and odd: every thread count splits it, and the last
# chunk ends in a partial SIMD vector
BIG = 3 * PM + 17


def expected_count(n):
    """What get_num_threads() reports after set_num_threads(n)."""
    return n if HAVE_OPENMP else 1


@pytest.fixture(autouse=True)
def _restore_threads():
    before = fastrelu.get_num_threads()
    yield
    fastrelu.set_num_threads(before)


# ---------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------

def test_default_is_one():
    proc = run_python("import fastrelu; print(fastrelu.get_num_threads())", timeout=60,
                      FASTRELU_NUM_THREADS=None)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.split() == ["1"]


def test_set_get():
    for n in (2, 1, 3, MAX_THREADS, 1):
        assert fastrelu.set_num_threads(n) is None
        assert fastrelu.get_num_threads() == expected_count(n)
    # any integer type NumPy users hold
    fastrelu.set_num_threads(np.int64(2))
    assert fastrelu.get_num_threads() == expected_count(2)
    assert type(fastrelu.get_num_threads()) is int


def test_context_manager_restores():
    fastrelu.set_num_threads(1)
    with fastrelu.num_threads(2):
        assert fastrelu.get_num_threads() == expected_count(2)
        with fastrelu.num_threads(3):
            assert fastrelu.get_num_threads() == expected_count(3)
        assert fastrelu.get_num_threads() == expected_count(2)
        fastrelu.set_num_threads(4)  # changed inside the block: still restored
    assert fastrelu.get_num_threads() == 1


def test_context_manager_restores_on_exception():
    fastrelu.set_num_threads(1)
    with pytest.raises(KeyError):
        with fastrelu.num_threads(2):
            assert fastrelu.get_num_threads() == expected_count(2)
            raise KeyError("boom")
    assert fastrelu.get_num_threads() == 1
    # a ufunc error inside the block
    with pytest.raises(TypeError):
        with fastrelu.num_threads(2):
            fastrelu.relu(np.array([True]))
    assert fastrelu.get_num_threads() == 1


BAD = [(0, ValueError), (-1, ValueError), (10**6, ValueError), (MAX_THREADS + 1, ValueError),
       (2**64, ValueError), (-2**63, ValueError),
       (2.5, TypeError), (2.0, TypeError), ("2", TypeError), (None, TypeError),
       (np.float64(2), TypeError),
       # a bool is not a thread count (True must not silently mean 1 thread)
       (True, (TypeError, ValueError)), (False, (TypeError, ValueError))]


@pytest.mark.parametrize("value, error", BAD, ids=[repr(v) for v, _ in BAD])
def test_bad_values(value, error):
    fastrelu.set_num_threads(2)
    with pytest.raises(error, match="fastrelu"):
        fastrelu.set_num_threads(value)
    assert fastrelu.get_num_threads() == expected_count(2)
    with pytest.raises(error, match="fastrelu"):
        with fastrelu.num_threads(value):
            pytest.fail("num_threads entered the block with a bad value")
    assert fastrelu.get_num_threads() == expected_count(2)


@pytest.mark.parametrize("value, n", [("2", 2), ("1", 1), (" 3 ", 3), ("", 1),
                                      (str(MAX_THREADS), MAX_THREADS)])
def test_environment_valid(monkeypatch, value, n):
    """What the import does with FASTRELU_NUM_THREADS (the same function, in
    this process; a fresh interpreter checks the wiring below)."""
    fastrelu.set_num_threads(1)
    monkeypatch.setenv("FASTRELU_NUM_THREADS", value)
    fastrelu._threads._from_environment()
    assert fastrelu.get_num_threads() == expected_count(n)


@pytest.mark.parametrize("value", ["0", "-1", "2.5", "two", "1000000", "2 threads"])
def test_environment_invalid(monkeypatch, value):
    fastrelu.set_num_threads(1)
    monkeypatch.setenv("FASTRELU_NUM_THREADS", value)
    with pytest.raises(ValueError, match="FASTRELU_NUM_THREADS"):
        fastrelu._threads._from_environment()
    assert fastrelu.get_num_threads() == 1


def test_environment_at_import():
    proc = run_python("import fastrelu; print(fastrelu.get_num_threads())", timeout=60,
                      FASTRELU_NUM_THREADS="2")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.split() == [str(expected_count(2))]


@pytest.mark.parametrize("value", ["0", "abc"])
def test_environment_at_import_invalid(value):
    proc = run_python("import fastrelu", timeout=60, FASTRELU_NUM_THREADS=value)
    # a Python exception, not a crash
    assert proc.returncode == 1, describe(proc)
    assert "Traceback (most recent call last)" in proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("ValueError") and "FASTRELU_NUM_THREADS" in last, last


def test_openmp_or_one_thread():
    """With OpenMP the count is what was set; without, set_num_threads(2) is
    accepted and everything runs on one thread (and show_config says so)."""
    assert fastrelu._ufuncs.BUILD_INFO["openmp"] == HAVE_OPENMP
    fastrelu.set_num_threads(2)
    assert fastrelu.get_num_threads() == (2 if HAVE_OPENMP else 1)
    x = np.linspace(-1, 1, BIG)
    assert_same_bits(fastrelu.leaky_relu(x, 0.5), np.where(x >= 0, x, 0.5 * x), "leaky_relu")


def test_show_config_threads():
    for n in (1, 2):
        with fastrelu.num_threads(n):
            buf = io.StringIO()
            fastrelu.show_config(file=buf)
        lines = [ln for ln in buf.getvalue().splitlines() if "threads" in ln.lower()]
        assert len(lines) == 1, buf.getvalue()
        line = lines[0]
        assert f"threads: {expected_count(n)}" in line, line
        assert "OpenMP" in line
        if HAVE_OPENMP:
            assert "not" not in line and str(PM) in line, line
        else:
            assert "not" in line, line


# ---------------------------------------------------------------------------
# Which loops split: watch the OpenMP runtime start its threads
# ---------------------------------------------------------------------------

SPLIT_PROBE = """
    import json, os
    import numpy as np
    import fastrelu
    PM = fastrelu._ufuncs.PARALLEL_MIN

    def nthreads():
        return len(os.listdir("/proc/self/task"))

    counts = [nthreads()]
    big = np.linspace(-1.0, 1.0, 4 * PM + 1)
    alpha = np.full(big.shape, 0.5)
    with fastrelu.num_threads(1):  # one thread: never split
        fastrelu.relu(big)
        fastrelu.leaky_relu_backward(big, big, alpha)
    if SET:
        fastrelu.set_num_threads(2)
    assert fastrelu.get_num_threads() == EXPECTED, fastrelu.get_num_threads()
    counts.append(nthreads())
    # small loops never pay for threads, strided ones are not split
    for n in (1, 100, PM - 1):
        fastrelu.relu(big[:n])
        fastrelu.leaky_relu(big[:n], 0.1)
        fastrelu.elu_backward(big[:n], big[:n], alpha[:n])
    fastrelu.relu(big[::2])                      # 2 * PM + 1 elements, stride 2
    fastrelu.leaky_relu(big, alpha[::-1])        # a parameter with a negative stride
    counts.append(nthreads())
    fastrelu.relu(big)                            # large and contiguous: split
    counts.append(nthreads())
    print(json.dumps(counts))
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux /proc")
@pytest.mark.parametrize("how", ["set_num_threads", "FASTRELU_NUM_THREADS"])
def test_only_large_contiguous_loops_split(how):
    code = SPLIT_PROBE.replace("SET", str(how == "set_num_threads"))
    code = code.replace("EXPECTED", str(expected_count(2)))
    env = {"OPENBLAS_NUM_THREADS": "1"}  # NumPy's BLAS starts no threads of its own
    if how == "FASTRELU_NUM_THREADS":
        env["FASTRELU_NUM_THREADS"] = "2"
    proc = run_python(code, timeout=60, **env)
    assert proc.returncode == 0, describe(proc)
    start, before_small, after_small, after_big = json.loads(proc.stdout)
    assert before_small == start, "one thread set, yet threads were started"
    assert after_small == start, "a small or strided loop started threads"
    if HAVE_OPENMP:
        assert after_big > start, "a large contiguous loop with 2 threads did not split"
    else:
        assert after_big == start


# ---------------------------------------------------------------------------
# Thread mode == one thread, every ufunc x loop type
# ---------------------------------------------------------------------------

def _sentinel(dt, k):
    return dt.type(3 + k) if dt.kind in "iu" else dt.type(1234.5 + 7 * k)


def _call(uf, args, nt, out=None):
    """uf(*args) with nt threads: (result, set of floating-point warnings)."""
    flags = set()
    with fastrelu.num_threads(nt), \
            np.errstate(all="call", call=lambda kind, flag: flags.add(kind)):
        r = uf(*args) if out is None else uf(*args, out=out)
    return r, flags


def _threads_matrix():
    out = []
    for case in CASES:
        for variant in (["scalar", "array"] if case.nparams else ["scalar"]):
            label = case.id + (f"-{variant}-params" if case.nparams else "")
            out.append(pytest.param(case, variant, id=label))
    return out


@pytest.mark.parametrize("case, variant", _threads_matrix())
def test_threads_equal_one_thread(case, variant):
    uf, dt = case.ufunc, case.dtype
    wide = dt in (np.float32, np.float64)
    # float32/float64: a long loop; the other types: one odd length that
    # splits unevenly (boundary lengths, 3 threads: test_split_boundaries)
    n = BIG if wide else PM + 3
    idx = window(n)
    p = pool(case, "array" if variant == "array" else n % len(samples(case.act)))
    exp = p.exp
    data = [np.ascontiguousarray(d[idx]) for d in p.data]
    if variant == "array":
        params = [np.ascontiguousarray(q[idx]) for q in p.params]
    else:
        params = list(p.scalar_params)
    args = data + params
    allowed = set()
    if exp.invalid_ok.any():
        allowed.add("invalid value")
    if exp.overflow_ok.any():
        allowed.add("overflow")
    # out of place, into outputs pre-filled with different values: an
    # element no chunk writes shows up as a difference
    one, flags_one = _call(uf, args, 1, np.full(n, _sentinel(dt, 1), dt))
    assert flags_one <= allowed, f"{case.name} n={n}: spurious warnings {flags_one}"
    many, flags = _call(uf, args, 2, np.full(n, _sentinel(dt, 2), dt))
    what = f"{case.name} n={n} 2 threads vs 1"
    assert flags == flags_one, f"{what}: warnings {flags} vs {flags_one}"
    assert_same_bits(many, one, what, args[:case.ndata])
    # and right, not only equal (long arrays are not checked anywhere else)
    inputs = [np.broadcast_to(a, exp.expected.shape)[idx] for a in exp.arrays]
    check_values(many, exp.expected[idx], exp.lo[idx], exp.hi[idx], exp.steps, dt,
                 inputs, f"{case.name} n={n} 2 threads", exp.nan_ok[idx])
    # in place: the output is the first input (the in-place branch of the
    # loops), or the last array input
    arrays = len(data) + (len(params) if variant == "array" else 0)
    for k in sorted({0, arrays - 1}):
        copies = [a.copy() for a in args[:arrays]] + args[arrays:]
        r, flags = _call(uf, copies, 2, out=copies[k])
        assert r is copies[k]
        assert flags == flags_one, f"{case.name} in place: warnings {flags} vs {flags_one}"
        assert_same_bits(r, one, f"{case.name} n={n} 2 threads in place (out=input {k + 1})",
                         args[:case.ndata])


@pytest.mark.parametrize("n, nt", [(PM - 1, 2), (PM, 2), (PM + 1, 2), (2 * PM - 1, 2),
                                   (BIG, 3), (4 * PM + 1, 3), (BIG, 5)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_split_boundaries(n, nt, dtype):
    """Around PARALLEL_MIN: the shortest loops that split (chunks of a whole
    number of vectors, or not), and more threads than cores, give what one
    thread gives."""
    rng = np.random.default_rng(n)
    x = (rng.standard_normal(n) * 4).astype(dtype)
    x[rng.integers(0, n, 50)] = np.nan
    x[-3:] = [-0.0, -np.inf, np.nan]
    dy = rng.standard_normal(n).astype(dtype)
    alpha = np.full(n, 0.3, dtype)
    for uf, args in ((fastrelu.relu, (x,)), (fastrelu.leaky_relu, (x, 0.1)),
                     (fastrelu.prelu_backward, (dy, x, alpha)), (fastrelu.elu, (x, 1.0))):
        one, flags_one = _call(uf, args, 1, np.full(n, _sentinel(np.dtype(dtype), 1), dtype))
        many, flags = _call(uf, args, nt, np.full(n, _sentinel(np.dtype(dtype), 2), dtype))
        assert flags_one == flags == set()
        assert_same_bits(many, one, f"{uf.__name__} n={n} {nt} threads vs 1", args[:2])


@pytest.mark.parametrize("case, variant", _threads_matrix())
def test_small_under_threads(case, variant):
    """Thread mode on: short loops (0..70: SIMD bodies and tails) stay right."""
    uf, dt = case.ufunc, case.dtype
    nsamples = len(samples(case.act))
    results = {}  # pool key -> (results, their pool indices, labels), checked at once
    with fastrelu.num_threads(2):
        for n in range(71):
            idx = window(n)
            key = "array" if variant == "array" else n % nsamples
            p = pool(case, key)
            args = [d[idx] for d in p.data] + ([q[idx] for q in p.params]
                                               if variant == "array" else list(p.scalar_params))
            with np.errstate(**p.exp.errstate(idx)):
                got = uf(*args)
            acc = results.setdefault(key, ([], [], []))
            acc[0].append(got)
            acc[1].append(idx)
            acc[2].append(np.full(n, f"n={n}", object))
    for key, (got, idx, labels) in results.items():
        exp = pool(case, key).exp
        got, idx, labels = np.concatenate(got), np.concatenate(idx), np.concatenate(labels)
        inputs = [np.broadcast_to(a, exp.expected.shape)[idx] for a in exp.arrays]
        check_values(got, exp.expected[idx], exp.lo[idx], exp.hi[idx], exp.steps, dt,
                     inputs + [labels], f"{case.name} (2 threads)", exp.nan_ok[idx])


# ---------------------------------------------------------------------------
# Floating-point flags computed by worker threads
# ---------------------------------------------------------------------------

def _chunk_positions(n):
    # the first element (the calling thread's chunk), one in the second half,
    # the very last (the last chunk, a worker thread's)
    return (0, 3 * n // 4, n - 1)


@pytest.mark.parametrize("dtype, huge", [(np.float32, -3e38), (np.float64, -1.5e308)])
@pytest.mark.parametrize("param", ["scalar", "array"])
def test_overflow_in_any_chunk_raises(dtype, huge, param):
    for pos in _chunk_positions(BIG):
        x = np.linspace(-1, 1, BIG).astype(dtype)
        x[pos] = huge
        alpha = 10.0 if param == "scalar" else np.full(BIG, 10.0, dtype)
        with fastrelu.num_threads(2):
            with np.errstate(over="raise"):
                with pytest.raises(FloatingPointError, match="overflow"):
                    fastrelu.leaky_relu(x, alpha)
            with pytest.warns(RuntimeWarning, match="overflow"):
                r = fastrelu.leaky_relu(x, alpha)
            # the worker's flag is reported once, not kept for the next call
            with np.errstate(all="raise"):
                clean = fastrelu.leaky_relu(np.where(x == huge, dtype(1), x), alpha)
        assert r[pos] == -np.inf and r.dtype == dtype
        assert np.all(clean[np.arange(BIG) != pos] == r[np.arange(BIG) != pos])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_invalid_in_last_chunk_raises(dtype):
    """dy = inf where the gradient is 0: NaN with NumPy's "invalid" warning."""
    x = np.linspace(-1, 1, BIG).astype(dtype)
    dy = np.ones(BIG, dtype)
    x[-1], dy[-1] = -2.0, np.inf
    with fastrelu.num_threads(2):
        with np.errstate(invalid="raise"):
            with pytest.raises(FloatingPointError, match="invalid"):
                fastrelu.relu_backward(dy, x)
        with np.errstate(invalid="ignore", over="raise"):
            r = fastrelu.relu_backward(dy, x)
    assert np.isnan(r[-1]) and not np.isnan(r[:-1]).any()


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.longdouble])
def test_special_values_quiet_under_threads(dtype):
    """NaN, +-inf, +-0, subnormals and huge values everywhere (every chunk):
    no warning under np.errstate(all="raise"), and the same as one thread."""
    dt = np.dtype(dtype)
    n = BIG if dt in (np.float32, np.float64) else PM + 3
    x = np.resize(float_specials(dt), n)
    # dy without infinities (inf * 0 would be a true "invalid")
    with np.errstate(all="ignore"):
        dy = np.resize(np.array([1.5, -2.0, np.nan, 0.0, -0.0, 3.0, -np.nan], dt), n)
    for act in _spec.ACTIVATIONS:
        usual = tuple(float(p) for p in samples(act)[0])
        for direction in _spec.DIRECTIONS:
            name = act.ufunc_name(direction)
            uf = getattr(fastrelu, name)
            args = ((dy, x) if direction == "backward" else (x,)) + usual
            with fastrelu.num_threads(1), np.errstate(all="raise"):
                one = uf(*args)
            with fastrelu.num_threads(2), np.errstate(all="raise"):
                two = uf(*args)
            assert_same_bits(two, one, f"{name} {dt} 2 threads vs 1", args[:2])
            assert np.array_equal(np.isnan(one), np.isnan(x) | np.isnan(dy)
                                  if direction == "backward" else np.isnan(x))


# ---------------------------------------------------------------------------
# Fork after threaded use
# ---------------------------------------------------------------------------

FORK_PREAMBLE = """
    import os, sys, time, traceback
    import numpy as np
    import fastrelu
    from fastrelu import _spec

    N = fastrelu._ufuncs.PARALLEL_MIN + 17    # split with 2 threads
    rng = np.random.default_rng(1)
    CALLS = []
    for dt in (np.float32, np.float64):
        x = (rng.standard_normal(N) * 4).astype(dt)
        x[::97] = np.nan
        dy = rng.standard_normal(N).astype(dt)
        for act in _spec.ACTIVATIONS:
            params = tuple(np.full(N, 0.25, dt) for _ in act.params)
            for d in _spec.DIRECTIONS:
                args = ((dy, x) if d == "backward" else (x,)) + params
                CALLS.append((act.ufunc_name(d), args))
                CALLS.append((act.ufunc_name(d), tuple(a[:33] for a in args)))

    def run_all():
        return [getattr(fastrelu, name)(*args) for name, args in CALLS]

    def same(a, b):
        return all(np.array_equal(u, v, equal_nan=True) for u, v in zip(a, b))

    fastrelu.set_num_threads(2)
    for _ in range(2):          # heavy threaded use: the runtime's pool is running
        EXPECTED = run_all()
    assert fastrelu.get_num_threads() == EXPECTED_COUNT
"""

FORK_OS = FORK_PREAMBLE + """
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            if fastrelu.get_num_threads() != 1:
                print("child threads:", fastrelu.get_num_threads()); status = 2
            elif not same(run_all(), EXPECTED):
                print("child results differ"); status = 3
        except BaseException:
            traceback.print_exc(); status = 4
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(status)
    deadline = time.monotonic() + 60
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            os.kill(pid, 9); os.waitpid(pid, 0)
            print("child hung"); sys.exit(5)
        time.sleep(0.01)
    code = os.waitstatus_to_exitcode(status)
    # the parent keeps its setting and still works in thread mode
    assert fastrelu.get_num_threads() == EXPECTED_COUNT
    assert same(run_all(), EXPECTED)
    print("child exit", code)
    sys.exit(0 if code == 0 else 6)
"""

FORK_MP = FORK_PREAMBLE + """
    import multiprocessing

    def work(i):
        got = run_all()
        return fastrelu.get_num_threads(), same(got, EXPECTED)

    with multiprocessing.get_context("fork").Pool(2) as p:
        res = p.map_async(work, range(2)).get(timeout=60)
    print(res)
    assert res == [(1, True)] * 2, res
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")
@pytest.mark.parametrize("how", ["os.fork", "multiprocessing"])
def test_fork_after_threads(how):
    code = (FORK_OS if how == "os.fork" else FORK_MP).replace(
        "EXPECTED_COUNT", str(expected_count(2)))
    # Python >= 3.12 warns that fork() in a multi-threaded process may deadlock
    # (which is the point of this test); that warning is not a failure
    proc = run_python("    import warnings; warnings.simplefilter('ignore', DeprecationWarning)"
                      + code, timeout=120)
    assert proc.returncode == 0, describe(proc)


# ---------------------------------------------------------------------------
# Python threads on top of fastrelu threads
# ---------------------------------------------------------------------------

def test_python_threads_with_fastrelu_threads():
    rng = np.random.default_rng(7)
    tasks = []
    for dt in (np.float32, np.float64):
        x = (rng.standard_normal(BIG) * 4).astype(dt)
        x[::101] = np.nan
        dy = rng.standard_normal(BIG).astype(dt)
        for act in _spec.ACTIVATIONS:
            params = tuple(np.full(BIG, 0.5, dt) for _ in act.params)
            for d in _spec.DIRECTIONS:
                args = ((dy, x) if d == "backward" else (x,)) + params
                tasks.append((getattr(fastrelu, act.ufunc_name(d)), args))
    serial = []
    with np.errstate(all="raise"):
        for uf, args in tasks:
            serial.append(uf(*args))
    # tasks that overflow in their last chunk: the flag must reach only them
    x_over = np.linspace(-1, 1, BIG).astype(np.float32)
    x_over[-1] = -3e38

    def clean(i):
        uf, args = tasks[i % len(tasks)]
        with np.errstate(all="raise"):
            return i, uf(*args)

    def overflowing(i):
        with np.errstate(over="raise"):
            try:
                fastrelu.leaky_relu(x_over, 10.0)
            except FloatingPointError:
                return i, "raised"
        return i, "silent"

    jobs = list(range(3 * len(tasks)))
    with fastrelu.num_threads(2):
        with concurrent.futures.ThreadPoolExecutor(8) as pool_:
            futures = [pool_.submit(clean if i % 3 else overflowing, i) for i in jobs]
            results = [f.result(timeout=120) for f in futures]
    for i, r in results:
        if i % 3:
            uf, args = tasks[i % len(tasks)]
            assert_same_bits(r, serial[i % len(tasks)], f"{uf.__name__} (job {i})")
        else:
            assert r == "raised", f"job {i}: overflow in a worker thread went unreported"
