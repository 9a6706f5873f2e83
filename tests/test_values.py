"""Values over whole input ranges, against the twins.

* float16: every one of the 65536 bit patterns, for every parameter sample.
* 8- and 16-bit integers: every value; wider integers: random and extremes.
* float32 / float64: random bit patterns (every exponent), a dense sweep of
  the region where the exp-based functions work, every parameter sample.
  Piecewise-linear functions must be bit-exact; the others within the spec's
  ``ulp_bound`` of a correctly rounded result (DESIGN §1.3).
* long double: a smaller random set (its twin goes through mpmath).
"""

import numpy as np
import pytest

import fastrelu
from conftest import (CASES, FLOAT_CASES, Expectation, case_params, float_values, samples,
                      seed_for)


def _param_args(case, sample):
    return [float(p) for p in sample]


def _run(case, data, sample, what=""):
    args = list(data) + _param_args(case, sample)
    exp = Expectation(case, case.direction, case.dtype, args)
    with np.errstate(**exp.errstate()):
        got = case.ufunc(*args)
    exp.check(got, what=f" {what} params={sample}")


def _run_samples(case, data, sample_list, what=""):
    """_run for every parameter sample; report every failing sample at once."""
    failures = []
    for sample in sample_list:
        try:
            _run(case, data, sample, what)
        except AssertionError as e:
            failures.append(str(e))
    assert not failures, "\n".join(failures)


def _all_halves():
    return np.arange(1 << 16, dtype=np.uint16).view(np.float16)


@pytest.mark.parametrize("case", case_params([c for c in FLOAT_CASES if c.tchar == "e"]))
def test_float16_exhaustive(case):
    x = _all_halves()
    rng = np.random.default_rng(seed_for(case.id, "f16"))
    # backward: every dy value too, paired with a permutation of the x values
    data = [rng.permutation(x), x] if case.ndata == 2 else [x]
    _run_samples(case, data, samples(case.act), "(all float16 values)")


@pytest.mark.parametrize("case", case_params([c for c in CASES if c.tchar in "bBhH"]))
def test_small_integers_exhaustive(case):
    ii = np.iinfo(case.dtype)
    x = np.arange(ii.min, ii.max + 1, dtype=np.int64).astype(case.dtype)
    _run(case, [x], (), "(every value)")


@pytest.mark.parametrize("case", case_params([c for c in CASES if c.tchar in "iIlLqQ"]))
def test_wide_integers(case):
    dt = case.dtype
    ii = np.iinfo(dt)
    rng = np.random.default_rng(seed_for(case.id, "ints"))
    x = rng.integers(ii.min, ii.max, 20000, endpoint=True, dtype=dt)
    edges = np.array([ii.min, ii.min + 1, ii.max, ii.max - 1, 0, 1, 5, 6, 7]
                     + ([-1, -6, -7] if ii.min < 0 else []), dtype=dt)
    near = rng.integers(max(ii.min, -20), 20, 2000).astype(dt)
    _run(case, [np.concatenate([edges, x, near])], (), "(random and extremes)")


def _sweep_values(dt, rng, n):
    """Random bit patterns (every exponent, NaN payloads) and dense ordinary values."""
    itype = {4: np.uint32, 8: np.uint64}[np.dtype(dt).itemsize]
    bits = rng.integers(0, np.iinfo(itype).max, n, endpoint=True, dtype=itype).view(dt)
    with np.errstate(all="ignore"):
        dense = np.concatenate([
            -np.exp(rng.uniform(np.log(1e-9), np.log(800.0), n)),  # x < 0, exp region
            rng.uniform(-12.0, 12.0, n),
            rng.normal(0.0, 1e-3, n // 4),
            6.0 + rng.normal(0.0, 1e-6, n // 4),
        ]).astype(dt)
    return np.concatenate([float_values(dt, 500, rng), bits, dense])


@pytest.mark.parametrize("case", case_params([c for c in FLOAT_CASES if c.tchar in "fd"]))
def test_float32_float64_sweep(case):
    rng = np.random.default_rng(seed_for(case.id, "sweep"))
    x = _sweep_values(case.dtype, rng, 30000)
    if case.ndata == 2:
        with np.errstate(all="ignore"):
            dy = (rng.normal(0, 1, x.size) * 10.0 ** rng.uniform(-6, 6, x.size))
        dy[:500] = float_values(case.dtype, 500, rng)
        data = [dy.astype(case.dtype), x]
    else:
        data = [x]
    _run_samples(case, data, samples(case.act), "(sweep)")


@pytest.mark.parametrize("case", case_params([c for c in FLOAT_CASES if c.tchar == "g"]))
def test_longdouble(case):
    rng = np.random.default_rng(seed_for(case.id, "longdouble"))
    x = float_values(case.dtype, 600, rng)
    with np.errstate(all="ignore"):
        # values with all 64 mantissa bits in use
        fine = (np.longdouble(1) / 3 + rng.uniform(-1, 1, 300).astype(np.longdouble)) * \
            rng.uniform(-40, 10, 300).astype(np.longdouble)
    x = np.concatenate([x, fine])
    data = [float_values(case.dtype, x.size, rng), x] if case.ndata == 2 else [x]
    _run_samples(case, data, samples(case.act)[:4], "(long double)")


@pytest.mark.parametrize("direction", ["forward", "grad"])
def test_elu_float64_tiny_alpha(direction):
    """alpha near the bottom of the double range (found by a new-user trial):
    the product must still be rounded once, and a zero result keeps its sign."""
    from fastrelu import _reference

    ufunc = fastrelu.elu if direction == "forward" else fastrelu.elu_grad
    twin = _reference.elu if direction == "forward" else _reference.elu_grad
    rng = np.random.default_rng(7)
    alpha = np.concatenate([10.0 ** rng.uniform(-323.5, -300, 4000),
                            [5e-324, 7.679775795921629e-308, 1e-320]])
    x = np.concatenate([-rng.exponential(3.0, 4000), [-800.0, -0.3520394372440959, -1.0]])
    alpha, x = np.concatenate([alpha, alpha]), np.concatenate([x, np.full_like(x, -0.5)])
    got, want = ufunc(x, alpha), twin(x, alpha)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    # within one step of the correctly rounded value
    steps = np.abs(got.view(np.int64) - want.view(np.int64))
    worst = int(np.argmax(steps))
    assert steps.max() <= 1, (x[worst], alpha[worst], got[worst], want[worst])
