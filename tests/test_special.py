"""The special-value policy of DESIGN §1.2, on every loop type and path.

* Hand-written literal values (``LITERALS`` in conftest): relu(-0.0) = +0.0,
  the kinks, the limits at +-inf, NaN in -> NaN out ...  checked on 0-d input,
  on arrays of every length 1..70 (SIMD body and tail), strided, in place,
  with array parameters.
* NaN in x or dy gives NaN out in every direction and loop type.
* ``np.errstate(all="raise")`` around special inputs raises nothing except
  what the exact result calls for (a true overflow; 0 * inf); a true overflow
  does raise/warn "overflow", as NumPy's own arithmetic does.
"""

import numpy as np
import pytest

import fastrelu
from fastrelu._reference import REFERENCES
from conftest import (FLOAT_CASES, INT_LITERALS, Expectation, case_params,
                      float_specials, literal_params, same_value, samples, seed_for)

# SIMD widths are 2..64 elements: around each power of two, and the longest
LENGTHS = (1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 70)


def _float_loops(name):
    uf = getattr(fastrelu, name)
    return [t[0] for t in uf.types if t[0] in "efdg"]


def _paths(uf, args, n):
    """(label, result) of one argument tuple spread over n elements, many ways."""
    dt = np.asarray(args[0]).dtype
    full = [np.full(n, a, dtype=dt) for a in args]
    out = [("contiguous", uf(*full))]
    # parameters as scalars (the scalar-parameter loop), data as arrays
    out.append(("scalar params", uf(*full[:1], *args[1:]) if len(args) > 1 else uf(full[0])))
    strided = [np.repeat(f, 2)[::2] for f in full]
    out.append(("strided", uf(*strided)))
    inplace = [f.copy() for f in full]
    out.append(("in place", uf(*inplace, out=inplace[0])))
    return out


@pytest.mark.parametrize("name, args, expected", literal_params())
def test_literal_values(name, args, expected):
    uf = getattr(fastrelu, name)
    loops = _float_loops(name)
    assert loops, f"{name} has no float loop"
    for t in loops:
        dt = np.dtype(t)
        typed = [dt.type(a) for a in args]
        with np.errstate(all="raise"):
            r = uf(*typed)
        assert isinstance(r, dt.type), f"{name}{args} on {dt}: got {type(r).__name__}"
        assert same_value(r, expected), f"{name}{args} on {dt}: got {r!r}, expected {expected!r}"
        for n in LENGTHS:
            with np.errstate(all="raise"):
                results = _paths(uf, typed, n)
            for label, res in results:
                assert res.dtype == dt and res.shape == (n,)
                ok = same_value(res, expected)
                assert ok.all(), (f"{name}{args} on {dt}, n={n}, {label}: got "
                                  f"{res[~ok][:3]!r}, expected {expected!r}")


@pytest.mark.parametrize("name, chars, x, expected", INT_LITERALS,
                         ids=[f"{n}-{c}-{x}" for n, c, x, _ in INT_LITERALS])
def test_integer_literal_values(name, chars, x, expected):
    uf = getattr(fastrelu, name)
    for t in chars:
        dt = np.dtype(t)
        r = uf(np.array(x, dtype=dt))
        assert type(r) is dt.type and r == expected, f"{name}({x}) on {t}: {r!r}"
        for n in (1, 7, 16, 33, 70):
            arr = np.full(n, x, dtype=dt)
            res = uf(arr)
            assert res.dtype == dt and np.all(res == expected), f"{name}({x}) on {t}, n={n}"


def _nan_values(dt):
    with np.errstate(all="ignore"):
        vals = [np.nan, -np.nan]
        arr = np.array(vals, dtype=dt)
    if dt.itemsize in (2, 4, 8) and dt.kind == "f":
        # a quiet NaN with a payload
        utype = {2: np.uint16, 4: np.uint32, 8: np.uint64}[dt.itemsize]
        q = np.array([np.nan], dtype=dt).view(utype) | utype(1)
        arr = np.concatenate([arr, q.view(dt)])
    return arr


@pytest.mark.parametrize("case", case_params(FLOAT_CASES))
def test_nan_in_nan_out(case):
    """NaN x (and NaN dy) gives NaN, quietly, whatever the other inputs."""
    dt = case.dtype
    nans = _nan_values(dt)
    others = float_specials(dt)
    for sample in samples(case.act):
        params = [dt.type(p) for p in sample]
        for n in (1, 3, 8, 17, 64, 70):
            x = np.resize(nans, n)
            data_sets = [[x]]
            if case.ndata == 2:
                # NaN x with any dy (even 0, inf), and NaN dy with any x
                data_sets = [[np.resize(others, n), x], [x, np.resize(others, n)]]
            for data in data_sets:
                with np.errstate(all="raise"):
                    r = case.ufunc(*data, *params)
                assert np.isnan(r).all(), \
                    f"{case.id} params={sample} n={n}: NaN in gave {r[~np.isnan(r)][:4]!r}"


@pytest.mark.parametrize("case", case_params([c for c in FLOAT_CASES if c.tchar in "efd"]))
def test_signaling_nan_gives_nan(case):
    dt = case.dtype
    utype, bits = {2: (np.uint16, 0x7c01), 4: (np.uint32, 0x7f800001),
                   8: (np.uint64, 0x7ff0000000000001)}[dt.itemsize]
    snan = np.array([bits], dtype=utype).view(dt)
    x = np.resize(snan, 20)
    data = [np.ones(20, dt), x] if case.ndata == 2 else [x]
    params = [dt.type(p) for p in samples(case.act)[0]]
    with np.errstate(invalid="ignore"):  # NumPy's own arithmetic flags sNaN too
        r = case.ufunc(*data, *params)
    assert np.isnan(r).all(), f"{case.id}: signaling NaN gave {r!r}"


def _special_inputs(case, sample):
    """Every special x (and every special dy for backward) with one parameter tuple."""
    dt = case.dtype
    sp = float_specials(dt)
    if case.ndata == 2:
        dy, x = np.meshgrid(sp, sp, indexing="ij")
        data = [dy.ravel(), x.ravel()]
    else:
        data = [sp]
    return data + [float(p) for p in sample]


@pytest.mark.parametrize("case", case_params(FLOAT_CASES))
def test_errstate_raise_is_quiet(case):
    """Under np.errstate(all="raise") special inputs raise nothing (DESIGN §1.2)...

    ...apart from the flags the exact result calls for: elements whose exact
    result overflows or is NaN from non-NaN inputs (0 * inf) are left out here and
    checked separately.  Also checks the values.
    """
    rng = np.random.default_rng(seed_for(case.id, "errstate"))
    checked = 0
    for sample in samples(case.act):
        args = _special_inputs(case, sample)
        exp = Expectation(case, case.direction, case.dtype, args)
        quiet = ~(exp.invalid_ok | exp.overflow_ok)
        idx = np.flatnonzero(quiet)
        data = [a[idx] for a in args[:case.ndata]]
        params = args[case.ndata:]
        variants = {
            "contiguous": data,
            "reversed": [d[::-1].copy()[::-1] for d in data],
            "strided": [np.repeat(d, 3)[::3] for d in data],
        }
        for label, dd in variants.items():
            with np.errstate(all="raise"):
                got = case.ufunc(*dd, *params)
            exp.check(got, idx, f" ({label}, params={sample})")
            checked += 1
        # shuffled into arrays of every length: each element in body and tail
        for n in (1, 2, 5, 8, 13, 16, 31, 64, 70):
            pick = rng.choice(idx, n)
            dd = [a[pick] for a in args[:case.ndata]]
            with np.errstate(all="raise"):
                got = case.ufunc(*dd, *params)
            exp.check(got, pick, f" (n={n}, params={sample})")
        # one element at a time (0-d input, scalar result)
        pick = idx if idx.size <= 120 else rng.choice(idx, 120, replace=False)
        got = []
        for i in pick:
            with np.errstate(all="raise"):
                got.append(case.ufunc(*[a[i] for a in args[:case.ndata]], *params))
        exp.check(np.array(got, dtype=case.dtype), pick, f" (0-d, params={sample})")
    assert checked


def _overflow_examples():
    """(case, args) whose exact result overflows although every input is finite."""
    out = []
    for case in FLOAT_CASES:
        if case.act.name not in REFERENCES:
            continue  # reported by test_registry.py::test_every_spec_row_has_a_twin
        dt = case.dtype
        fi = np.finfo(dt)
        big = [fi.max, -fi.max, fi.max / 2, -fi.max / 2]
        small = [-1.0, -0.0, 0.5, -3.0]
        for sample in samples(case.act):
            if case.ndata == 2:
                dy, x = np.meshgrid(np.array(big + [1.0], dt), np.array(big + small, dt),
                                    indexing="ij")
                data = [dy.ravel(), x.ravel()]
            else:
                data = [np.array(big + small, dt)]
            args = data + [float(p) for p in sample]
            exp = Expectation(case, case.direction, dt, args)
            for i in np.flatnonzero(exp.overflow_ok):
                out.append(pytest.param(case, tuple(a[i] for a in data), tuple(sample),
                                        id=f"{case.id}-{i}-{sample}"))
                break  # one example per sample is plenty
    return out


OVERFLOW_EXAMPLES = _overflow_examples()


def test_overflow_examples_exist():
    """The overflow test below is not vacuous: leaky_relu can overflow."""
    names = {p.values[0].name for p in OVERFLOW_EXAMPLES}
    assert "leaky_relu" in names and "leaky_relu_backward" in names, names


@pytest.mark.parametrize("case, data, sample", OVERFLOW_EXAMPLES)
def test_true_overflow_warns(case, data, sample):
    """A true overflow gives +-inf and NumPy's overflow warning, on every path."""
    dt = case.dtype
    args = [np.array(d, dtype=dt) for d in data] + [float(p) for p in sample]
    exp = Expectation(case, case.direction, dt, args)
    expected = exp.expected
    assert np.isinf(expected)
    for n in (1, 4, 17, 70):
        arrays = [np.full(n, d, dtype=dt) for d in data]
        for label, dd in [("contiguous", arrays), ("strided", [np.repeat(a, 2)[::2] for a in arrays])]:
            with np.errstate(all="raise", invalid="ignore"):
                with pytest.raises(FloatingPointError, match="overflow"):
                    case.ufunc(*dd, *args[case.ndata:])
            with pytest.warns(RuntimeWarning, match="overflow"):
                r = case.ufunc(*dd, *args[case.ndata:])
            assert np.all(r == expected), f"{case.id} n={n} {label}: {r!r} != {expected!r}"
