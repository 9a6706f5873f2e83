"""crelu(x, axis=-1, out=None): concatenate(relu(x), relu(-x)) along axis."""

import numpy as np
import pytest

import fastrelu
from conftest import float_values, int_values, same_value, seed_for
from fastrelu._reference import crelu as crelu_ref


def _assert_same(got, expected):
    assert got.dtype == expected.dtype and got.shape == expected.shape
    if got.dtype.kind == "f":
        ok = same_value(got, expected)
        assert ok.all(), f"crelu: got {got[~ok]!r}, expected {expected[~ok]!r}"
    else:
        assert np.array_equal(got, expected)


@pytest.mark.parametrize("t", "efdgbBhHiIlLqQ")
def test_values_every_type(t):
    rng = np.random.default_rng(seed_for("crelu", t))
    dt = np.dtype(t)
    for n in (0, 1, 2, 7, 16, 33, 70):
        x = float_values(dt, n, rng) if dt.kind == "f" else int_values(dt, n, rng)
        with np.errstate(all="raise"):
            got = fastrelu.crelu(x)
        _assert_same(got, crelu_ref(x))
        assert got.shape == (2 * n,)


def test_literals():
    r = fastrelu.crelu(np.array([1.0, -2.0, -0.0, 0.0, np.inf, -np.inf]))
    expected = np.array([1.0, 0.0, 0.0, 0.0, np.inf, 0.0, 0.0, 2.0, 0.0, 0.0, 0.0, np.inf])
    _assert_same(r, expected)
    assert not np.signbit(r).any(), "crelu gives +0 for both zeros in both halves"
    r = fastrelu.crelu([[1, -2], [3, -4]], axis=0)
    assert r.tolist() == [[1, 0], [3, 0], [0, 2], [0, 4]]


def test_nan_in_both_halves():
    with np.errstate(all="raise"):
        r = fastrelu.crelu(np.array([np.nan, 1.0, -np.nan], dtype=np.float32))
    assert r.dtype == np.float32
    assert np.isnan(r[[0, 2, 3, 5]]).all() and r[1] == 1.0 and r[4] == 0.0


def test_unsigned_second_half_is_zero():
    for t in "BHILQ":
        x = np.array([0, 1, 5, np.iinfo(t).max], dtype=t)
        r = fastrelu.crelu(x)
        assert r.dtype == x.dtype
        assert r[:4].tolist() == x.tolist() and r[4:].tolist() == [0, 0, 0, 0]


def test_signed_minimum_wraps_like_numpy():
    x = np.array([-128, 127, -1], dtype=np.int8)
    r = fastrelu.crelu(x)
    assert r.tolist() == [0, 127, 0, 0, 0, 1]


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -2, -3, np.int64(1)])
def test_axes(axis):
    rng = np.random.default_rng(seed_for("crelu-axis", int(axis)))
    x = float_values(np.float64, 2 * 3 * 4, rng).reshape(2, 3, 4)
    got = fastrelu.crelu(x, axis=axis)
    expected = crelu_ref(x, axis=int(axis))
    _assert_same(got, expected)
    shape = list(x.shape)
    shape[int(axis)] *= 2
    assert got.shape == tuple(shape)


def test_non_contiguous_input_and_float16():
    rng = np.random.default_rng(seed_for("crelu-strided"))
    x = float_values(np.float16, 60, rng).reshape(6, 10)[:, ::-2]
    got = fastrelu.crelu(x, axis=0)
    _assert_same(got, crelu_ref(x, axis=0))
    assert got.dtype == np.float16


def test_out_argument():
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    out = np.full((2, 4), 99.0)
    r = fastrelu.crelu(x, out=out)
    assert r is out
    _assert_same(out, crelu_ref(x))
    out0 = np.empty((4, 2), dtype=np.float32)  # same_kind cast on write
    r = fastrelu.crelu(x, axis=0, out=out0)
    assert r is out0
    _assert_same(out0, crelu_ref(x, axis=0).astype(np.float32))
    # a strided out
    big = np.zeros((2, 8))
    r = fastrelu.crelu(x, out=big[:, ::2])
    _assert_same(big[:, ::2], crelu_ref(x))
    assert np.all(big[:, 1::2] == 0)


def test_errors():
    x = np.array([[1.0, -2.0], [-3.0, 4.0]])
    with pytest.raises(ValueError, match="crelu"):
        fastrelu.crelu(np.float64(1.0))  # 0-d: no axis to double
    with pytest.raises(np.exceptions.AxisError, match="crelu"):
        fastrelu.crelu(x, axis=2)
    with pytest.raises(np.exceptions.AxisError):
        fastrelu.crelu(x, axis=-3)
    for bad_axis in (1.0, "0", None, True):
        with pytest.raises(TypeError, match="crelu"):
            fastrelu.crelu(x, axis=bad_axis)
    with pytest.raises(ValueError, match="crelu"):
        fastrelu.crelu(x, out=np.empty((2, 2)))
    with pytest.raises(TypeError, match="crelu"):
        fastrelu.crelu(x, out=[[0.0] * 4] * 2)
    with pytest.raises(ValueError, match="crelu"):
        buf = np.zeros((2, 4))
        fastrelu.crelu(buf[:, :2], out=buf)  # out overlaps x
    with pytest.raises(TypeError):
        fastrelu.crelu(x, out=np.empty((2, 4), dtype=np.int32))  # float -> int
    for bad in (np.array([True, False]), np.array([1j, 2j]), np.array(["a"])):
        with pytest.raises(TypeError):
            fastrelu.crelu(bad)


def test_lists_and_empty_axis():
    assert fastrelu.crelu([1.0, -2.0]).tolist() == [1.0, 0.0, 0.0, 2.0]
    r = fastrelu.crelu(np.empty((3, 0)))
    assert r.shape == (3, 0) and r.dtype == np.float64
    r = fastrelu.crelu(np.empty((0, 3)), axis=1)
    assert r.shape == (0, 6)
