"""Many calls leak nothing: resident memory and reference counts stay put.

100,000 calls per ufunc on small arrays (plain, with out=, with out= and
where=) and 100 on large ones.  Resident memory is read from /proc (Linux);
elsewhere only the reference counts are checked.
"""
import os
import sys

import numpy as np
import pytest

import fastrelu
from conftest import ufunc_params

SMALL_CALLS = 100_000
LARGE_CALLS = 100


def _rss_bytes():
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def _inputs(act, direction, n, rng):
    """Finite float32 arrays (no special values: this test is about memory, not flags)."""
    x = rng.standard_normal(n).astype(np.float32)
    arrays = [rng.standard_normal(n).astype(np.float32)] if direction == "backward" else []
    arrays.append(x)
    params = [np.full(n, 0.1, dtype=np.float32) for _ in act.params]
    return arrays + params


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_many_small_calls_leak_nothing(act, direction):
    name = act.ufunc_name(direction)
    uf = getattr(fastrelu, name)
    args = _inputs(act, direction, 8, np.random.default_rng(0))
    out = np.empty(8, dtype=np.float32)
    where = np.arange(8) % 2 == 0

    def run(calls):
        for _ in range(calls):
            uf(*args)
            uf(*args, out=out)
            uf(*args, out=out, where=where)

    run(1000)  # warm up: caches, allocator pools
    refs = [sys.getrefcount(a) for a in args + [out, where]]
    before = _rss_bytes()
    run(SMALL_CALLS)
    after = _rss_bytes()
    assert [sys.getrefcount(a) for a in args + [out, where]] == refs
    if before is not None:
        assert after - before < 1 << 20, f"{name}: resident memory grew {after - before} bytes"


def test_many_large_calls_leak_nothing():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(1_000_000).astype(np.float32)
    out = np.empty_like(x)
    for uf in (fastrelu.relu, fastrelu.elu):  # one piecewise-linear, one exp-based
        extra = () if uf.nin == 1 else (np.float32(1.0),)
        for _ in range(3):  # warm up (also faults in the pages of out)
            uf(x, *extra)
            uf(x, *extra, out=out)
        refs = (sys.getrefcount(x), sys.getrefcount(out))
        before = _rss_bytes()
        for _ in range(LARGE_CALLS):
            uf(x, *extra)
            uf(x, *extra, out=out)
        after = _rss_bytes()
        assert (sys.getrefcount(x), sys.getrefcount(out)) == refs
        if before is not None:
            assert after - before < 1 << 20, f"{uf.__name__}: grew {after - before} bytes"


def test_rejected_input_leaks_nothing():
    """The type resolver's error path (bool input) builds a message each time."""
    bad = np.array([True, False, True])
    for _ in range(1000):
        with pytest.raises(TypeError):
            fastrelu.leaky_relu(np.ones(3), bad)
    refs = sys.getrefcount(bad)
    before = _rss_bytes()
    for _ in range(20_000):
        try:
            fastrelu.leaky_relu(np.ones(3), bad)
        except TypeError:
            pass
    after = _rss_bytes()
    assert sys.getrefcount(bad) == refs
    if before is not None:
        assert after - before < 1 << 20, f"grew {after - before} bytes"
