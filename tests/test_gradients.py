"""Gradients: closed forms (the twins' derivatives, checked everywhere in
test_values/test_layouts) and, here, finite differences of fastrelu's own
forward pass, so that forward and derivative agree with each other; plus the
contract that gradients come from x, not from the output.
"""

import numpy as np
import pytest

import fastrelu
from conftest import ACTIVATIONS, Expectation, samples, seed_for
from fastrelu._reference import REFERENCES


def _points(act, rng, n=400):
    """float64 points away from the kinks (where a difference quotient is meaningless)."""
    x = np.concatenate([rng.uniform(-8, 8, n), rng.normal(0, 1, n), [-20.0, -3.0, 0.5, 5.0, 30.0]])
    for k in REFERENCES[act.name].kinks:
        x = x[np.abs(x - k) > 1e-3]
    return x


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_grad_matches_finite_differences(act):
    rng = np.random.default_rng(seed_for(act.name, "fd"))
    f = getattr(fastrelu, act.ufunc_name("forward"))
    g = getattr(fastrelu, act.ufunc_name("grad"))
    b = getattr(fastrelu, act.ufunc_name("backward"))
    x = _points(act, rng)
    assert x.size > 500
    h = 1e-6
    for sample in samples(act):
        p = [float(v) for v in sample]
        with np.errstate(all="raise"):
            fd = (f(x + h, *p) - f(x - h, *p)) / (2 * h)
            grad = g(x, *p)
            dy = rng.normal(0, 3, x.size)
            back = b(dy, x, *p)
        np.testing.assert_allclose(grad, fd, rtol=1e-6, atol=1e-8,
                                   err_msg=f"{act.name}_grad vs finite differences, p={p}")
        np.testing.assert_allclose(back, dy * fd, rtol=1e-6, atol=1e-7,
                                   err_msg=f"{act.name}_backward vs dy * finite differences")


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_grad_float32_matches_finite_differences(act):
    """The float32 loops too (a coarser difference quotient)."""
    rng = np.random.default_rng(seed_for(act.name, "fd32"))
    f = getattr(fastrelu, act.ufunc_name("forward"))
    g = getattr(fastrelu, act.ufunc_name("grad"))
    x = _points(act, rng).astype(np.float32)
    for k in REFERENCES[act.name].kinks:
        x = x[np.abs(x - k) > 0.05]
    h = np.float32(1e-2)
    p = [float(v) for v in samples(act)[0]]
    with np.errstate(all="raise"):
        fd = (f(x + h, *p).astype(np.float64) - f(x - h, *p)) / (2 * np.float64(h))
        grad = g(x, *p)
    assert grad.dtype == np.float32
    np.testing.assert_allclose(grad, fd, rtol=2e-3, atol=1e-4)


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_gradients_come_from_x_not_from_the_output(act):
    """f(x, out=x) in place, then grad/backward of a saved copy: still right."""
    rng = np.random.default_rng(seed_for(act.name, "inplace"))
    f = getattr(fastrelu, act.ufunc_name("forward"))
    g = getattr(fastrelu, act.ufunc_name("grad"))
    b = getattr(fastrelu, act.ufunc_name("backward"))
    p = [float(v) for v in samples(act)[0]]
    x = np.concatenate([rng.uniform(-5, 5, 64), [-1.0, -0.5, 2.0, 7.0]])
    saved = x.copy()
    dy = rng.normal(0, 1, x.size)
    with np.errstate(all="raise"):
        f(x, *p, out=x)
        grad = g(saved, *p)
        back = b(dy, saved, *p)
    Expectation(act, "grad", np.float64, [saved] + p).check(grad)
    Expectation(act, "backward", np.float64, [dy, saved] + p).check(back)
    Expectation(act, "forward", np.float64, [saved] + p).check(x)


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_kink_values(act):
    """At each kink the derivative is one of the one-sided limits (PyTorch's choice)."""
    g = getattr(fastrelu, act.ufunc_name("grad"))
    checked = 0
    for sample in samples(act):
        p = [float(v) for v in sample]
        for k in REFERENCES[act.name].kinks:
            with np.errstate(all="raise"):
                at = g(np.float64(k), *p)
                left = g(np.float64(k) - 1e-9, *p)
                right = g(np.float64(k) + 1e-9, *p)
            assert np.isclose(at, left, rtol=1e-6) or np.isclose(at, right, rtol=1e-6), \
                f"{act.name}'({k}) = {at} with p={p}: neither limit ({left}, {right})"
            checked += 1
    assert checked == len(samples(act)) * len(REFERENCES[act.name].kinks)
