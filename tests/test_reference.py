"""The twins themselves: independent checks, so that a wrong twin cannot make a
wrong ufunc pass.  Literal values from DESIGN, mpmath for the exp-based twins,
finite differences for the derivatives, and quietness.
"""

import mpmath
import numpy as np
import pytest

from conftest import (ACTIVATIONS, DIRECTIONS, float_specials, float_values, literal_params,
                      same_value, seed_for, step)
from fastrelu import _reference
from fastrelu._reference import REFERENCES


def _twin(name):
    for act in ACTIVATIONS:
        for d in DIRECTIONS:
            if act.ufunc_name(d) == name:
                return REFERENCES[act.name].direction(d)
    raise KeyError(name)


@pytest.mark.parametrize("name, args, expected", literal_params())
def test_twins_give_the_literal_values(name, args, expected):
    twin = _twin(name)
    for t in "efdg":
        dt = np.dtype(t)
        r = twin(*[dt.type(a) for a in args])
        assert r.dtype == dt
        assert same_value(r, expected), f"twin {name}{args} on {dt}: {r!r} != {expected!r}"


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_twins_are_quiet(act):
    ref = REFERENCES[act.name]
    for t in "efdg":
        dt = np.dtype(t)
        sp = float_specials(dt)
        param_sets = [[dt.type(v) for v in sample] for sample in ref.samples]
        if act.params:  # also NaN and infinite parameters
            param_sets += [[dt.type(v)] * len(act.params) for v in (np.nan, np.inf, -np.inf)]
        for p in param_sets:
            with np.errstate(all="raise"):
                ref.forward(sp, *p)
                ref.grad(sp, *p)
                ref.backward(sp[::-1], sp, *p)
                ref.backward(np.inf, sp, *p)


def _mp_exact(fn, x, alpha):
    with mpmath.workprec(200):
        return fn(mpmath.mpf(float(alpha)), mpmath.mpf(float(x)))


@pytest.mark.parametrize("t", ["f", "d"])
def test_elu_twin_is_correctly_rounded(t):
    """Against mpmath at 200 bits (float32 and float64 inputs are exact in mpf)."""
    dt = np.dtype(t)
    rng = np.random.default_rng(seed_for("elu-twin", t))
    x = np.concatenate([-np.exp(rng.uniform(np.log(1e-8), np.log(700.0), 300)),
                        rng.uniform(-5, 0, 100)]).astype(dt)
    for alpha in (1.0, 0.1, 1.6732632423543772, 2.5):
        a = dt.type(alpha)
        fwd = _reference.elu(x, a)
        grad = _reference.elu_grad(x, a)
        mismatches = 0
        for xi, f, g in zip(x, fwd, grad):
            ef = _mp_exact(lambda a_, x_: a_ * mpmath.expm1(x_), xi, a)
            eg = _mp_exact(lambda a_, x_: a_ * mpmath.exp(x_), xi, a)
            for got, exact in ((f, ef), (g, eg)):
                want = dt.type(mpmath.nstr(exact, 40))
                if got != want:
                    mismatches += 1
                    # a long double intermediate may double-round: never by more than 1
                    assert got in (step(want, -1), step(want, 1)), (xi, alpha, got, want)
        assert mismatches <= 2, f"{mismatches} results not correctly rounded"


def test_elu_longdouble_twin_against_mpmath():
    rng = np.random.default_rng(seed_for("elu-twin-g"))
    x = (-np.exp(rng.uniform(-10, 6, 60))).astype(np.longdouble) / 3
    r = _reference.elu(x, np.longdouble(0.5))
    for xi, ri in zip(x, r):
        m, e = np.frexp(xi)
        with mpmath.workprec(200):
            xm = mpmath.ldexp(mpmath.mpf(int(np.ldexp(m, 66))), int(e) - 66)
            exact = mpmath.mpf(0.5) * mpmath.expm1(xm)
            m2, e2 = np.frexp(ri)
            rm = mpmath.ldexp(mpmath.mpf(int(np.ldexp(m2, 66))), int(e2) - 66)
            ulp = mpmath.ldexp(1, int(e2) - 64)
            err = abs(rm - exact) / ulp
        assert err <= 0.5 + 1e-6, (xi, err)


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_twin_grad_is_the_derivative_of_twin_forward(act):
    ref = REFERENCES[act.name]
    rng = np.random.default_rng(seed_for(act.name, "twin-fd"))
    x = rng.uniform(-9, 9, 500)
    for k in ref.kinks:
        x = x[np.abs(x - k) > 1e-3]
    h = 1e-6
    for sample in ref.samples:
        fd = (ref.forward(x + h, *sample) - ref.forward(x - h, *sample)) / (2 * h)
        np.testing.assert_allclose(ref.grad(x, *sample), fd, rtol=1e-6, atol=1e-8)
        dy = rng.normal(0, 2, x.size)
        np.testing.assert_allclose(ref.backward(dy, x, *sample), dy * fd, rtol=1e-6, atol=1e-7)


def test_twin_result_types():
    assert _reference.relu(np.array([-1, 2], np.int8)).dtype == np.int8
    assert _reference.relu_grad(np.array([-1, 2], np.int8)).dtype == np.float16
    assert _reference.relu_grad(np.array([-1, 2], np.int16)).dtype == np.float32
    assert _reference.leaky_relu(np.array([-1.0], np.float32), 0.1).dtype == np.float32
    assert _reference.leaky_relu(np.array([-1.0], np.float32), np.float64(0.1)).dtype == np.float64
    assert _reference.elu(np.array([-1.0], np.float16), 1.0).dtype == np.float16
    assert _reference.relu([-1.0, 2.0]).tolist() == [0.0, 2.0]
    # non-native byte order in, native out
    x = np.array([-1.0, 2.0], dtype=">f4")
    assert _reference.relu(x).dtype == np.dtype("=f4")


def test_twin_float16_rounds_once():
    """leaky_relu in float16 is the float32 product rounded once."""
    x = np.float16(-0.0999755859375)  # exactly representable
    a = np.float16(0.0999755859375)
    exact = float(x) * float(a)  # exact in float64
    assert _reference.leaky_relu(x, a) == np.float16(exact)
    rng = np.random.default_rng(seed_for("f16-once"))
    xs = -np.abs(float_values(np.float16, 2000, rng))
    xs = xs[np.isfinite(xs)]
    r = _reference.leaky_relu(xs, np.float16(0.3))
    with np.errstate(all="ignore"):
        want = (xs.astype(np.float64) * np.float64(np.float16(0.3))).astype(np.float16)
    assert np.array_equal(r, want, equal_nan=True)
