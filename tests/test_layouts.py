"""Every ufunc x loop type x memory layout x length 0..70, against the twins.

The lengths cover the empty call, the SIMD body and every tail.  The input
windows come from pools that mix ordinary values with the special values of
DESIGN §1.2 (NaN, +-0, +-inf, subnormals, huge values, kinks), so the policy is
checked on every path.  Parameters are either scalars (Python floats, weak, or
0-d arrays: the scalar-parameter loop) or arrays aligned with x (the
array-parameter loop).  Calls run under ``np.errstate(all="raise")`` except
for the flags the contract allows (see conftest).
"""

import numpy as np
import pytest

from conftest import CASES, check_values, length_n_inputs

LENGTHS = range(71)


def identity(e):
    return e


def _args(data, params, array_params, transform):
    """Apply a layout transform to the data inputs and to array parameters."""
    return ([transform(d) for d in data]
            + ([transform(p) for p in params] if array_params else list(params)))


def _copy(a):
    return np.array(a, copy=True)


def lay_contiguous(uf, data, params, ap, dt):
    return [(uf(*_args(data, params, ap, _copy)), identity, "")]


def _strided(a, k=2):
    buf = np.full(len(a) * k, 5, dtype=a.dtype)
    view = buf[::k]
    view[...] = a
    return view


def lay_strided(uf, data, params, ap, dt):
    return [(uf(*_args(data, params, ap, _strided)), identity, "")]


def lay_strided_out(uf, data, params, ap, dt):
    n = len(data[0])
    buf = np.full(3 * n, 55, dtype=dt)
    out = buf[::3]
    r = uf(*_args(data, params, ap, _copy), out=out)
    assert r is out
    # the gaps of the output buffer are untouched
    assert np.all(buf[1::3] == 55) and np.all(buf[2::3] == 55), "wrote outside out"
    return [(r, identity, " (strided out)")]


def _negative(a):
    return _copy(a[::-1])[::-1]


def lay_negative_stride(uf, data, params, ap, dt):
    res = [(uf(*_args(data, params, ap, _negative)), identity, " (negative stride in)")]
    out = np.empty(len(data[0]), dt)[::-1]
    r = uf(*_args(data, params, ap, _copy), out=out)
    assert r is out
    res.append((r, identity, " (negative stride out)"))
    return res


def _unaligned(a):
    raw = np.empty(a.nbytes + 1, dtype=np.uint8)
    u = raw[1:].view(a.dtype)
    u[...] = a
    if a.dtype.itemsize > 1 and a.size:
        assert not u.flags.aligned
    return u


def lay_unaligned(uf, data, params, ap, dt):
    res = [(uf(*_args(data, params, ap, _unaligned)), identity, " (unaligned in)")]
    out = _unaligned(np.zeros(len(data[0]), dt))
    r = uf(*_args(data, params, ap, _copy), out=out)
    assert r is out
    res.append((r, identity, " (unaligned out)"))
    return res


def lay_zero_d(uf, data, params, ap, dt):
    n = len(data[0])
    got = []
    for k in range(n):
        args = ([np.array(d[k]) for d in data]
                + ([np.array(p[k]) for p in params] if ap else list(params)))
        r = uf(*args)
        assert isinstance(r, np.generic), f"0-d input gave {type(r).__name__}, not a scalar"
        got.append(r)
    return [(np.array(got, dtype=dt).reshape(n), identity, " (0-d)")]


def lay_empty(uf, data, params, ap, dt):
    n = len(data[0])
    res = []
    for shape in [(0,), (n, 0), (0, n), (2, 0, 3)]:
        mk = (lambda a, shape=shape: np.empty(shape, dtype=a.dtype))
        r = uf(*_args(data, params, ap, mk))
        res.append((r, lambda e, shape=shape: np.reshape(e[:0], shape), f" (empty {shape})"))
    return res


def lay_broadcast(uf, data, params, ap, dt):
    n = len(data[0])
    inner0 = (lambda a: np.broadcast_to(a[:, None], (n, 3)))  # inner stride 0
    outer0 = (lambda a: np.broadcast_to(a[None, :], (3, n)))  # outer stride 0
    return [
        (uf(*_args(data, params, ap, inner0)), inner0, " (broadcast, inner stride 0)"),
        (uf(*_args(data, params, ap, outer0)), outer0, " (broadcast, outer stride 0)"),
    ]


def lay_f_order(uf, data, params, ap, dt):
    two = (lambda a: np.stack([a, a[::-1]], axis=1))
    f_in = (lambda a: np.asfortranarray(two(a)))
    r = uf(*_args(data, params, ap, f_in))
    if len(data[0]) >= 2:
        assert r.flags.f_contiguous, "order='K' should keep an F-ordered input F-ordered"
    res = [(r, two, " (F-order)")]
    n = len(data[0])
    out = np.empty((n, 2), dt, order="F")
    r2 = uf(*_args(data, params, ap, two), out=out)
    assert r2 is out
    res.append((r2, two, " (C in, F out)"))
    return res


def lay_in_place(uf, data, params, ap, dt):
    res = []
    ninputs = len(data) + (len(params) if ap else 0)
    for k in range(ninputs):
        args = _args(data, params, ap, _copy)
        target = args[k]
        r = uf(*args, out=target)
        assert r is target
        res.append((r, identity, f" (in place, out=input {k + 1})"))
    return res


def lay_overlapping_out(uf, data, params, ap, dt):
    n = len(data[0])
    res = []
    for k in range(len(data)):
        for shift_out in (True, False):
            args = _args(data, params, ap, _copy)
            buf = np.empty(n + 1, dtype=dt)
            if shift_out:  # out starts one element after input k
                buf[:n] = data[k]
                args[k], out = buf[:n], buf[1:]
            else:  # out starts one element before input k
                buf[1:] = data[k]
                args[k], out = buf[1:], buf[:n]
            r = uf(*args, out=out)
            assert r is out
            res.append((r, identity, f" (out overlapping input {k + 1}, "
                                     f"{'after' if shift_out else 'before'})"))
    return res


def _swapped(a):
    return a.astype(a.dtype.newbyteorder())


def lay_byteswapped(uf, data, params, ap, dt):
    res = [(uf(*_args(data, params, ap, _swapped)), identity, " (non-native in)")]
    out = np.empty(len(data[0]), dt.newbyteorder())
    r = uf(*_args(data, params, ap, _copy), out=out)
    assert r is out
    res.append((r.astype(dt), identity, " (non-native out)"))
    return res


LAYOUTS = {
    "contiguous": lay_contiguous,
    "strided": lay_strided,
    "strided_out": lay_strided_out,
    "negative_stride": lay_negative_stride,
    "unaligned": lay_unaligned,
    "zero_d": lay_zero_d,
    "empty": lay_empty,
    "broadcast": lay_broadcast,
    "f_order": lay_f_order,
    "in_place": lay_in_place,
    "overlapping_out": lay_overlapping_out,
    "byteswapped": lay_byteswapped,
}


def _matrix():
    out = []
    for case in CASES:
        variants = ["scalar", "array"] if case.nparams else ["scalar"]
        for variant in variants:
            for layout in LAYOUTS:
                label = f"{case.id}-{layout}" + (f"-{variant}-params" if case.nparams else "")
                out.append(pytest.param(case, variant, layout, id=label))
    return out


@pytest.mark.parametrize("case, variant, layout", _matrix())
def test_layout(case, variant, layout):
    uf, dt = case.ufunc, case.dtype
    checked = 0
    for n in LENGTHS:
        idx, exp, data, params = length_n_inputs(case, variant, n)
        expected, lo, hi, nan_ok = exp.expected[idx], exp.lo[idx], exp.hi[idx], exp.nan_ok[idx]
        inputs = [np.broadcast_to(a, exp.expected.shape)[idx] for a in exp.arrays]
        with np.errstate(**exp.errstate(idx)):
            results = LAYOUTS[layout](uf, data, params, variant == "array", dt)
        for got, fn, what in results:
            check_values(got, fn(expected), fn(lo), fn(hi), exp.steps, dt,
                         [fn(a) for a in inputs], f"{case.name} n={n}{what}", fn(nan_ok))
            checked += 1
    assert checked >= len(LENGTHS)
