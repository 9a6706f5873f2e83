"""Hand-written plain-NumPy twins of every activation (tests, benchmarks, docs).

These are written directly from the formulas of DESIGN §1.1/§1.2, independently
of ``_spec.py`` and ``_kernels.h``: a mistake in the registry or in a kernel
cannot hide itself by being copied here.  They favour clarity and accuracy over
speed.

Conventions shared by every twin
--------------------------------
* Arguments are array_like; Python scalars are weak (NEP 50), exactly as for
  the ufuncs.  The result dtype is the dtype the ufunc returns: the common type
  of the arguments; integers go to the smallest float NumPy would use
  (``int8 -> float16``) unless the function has integer loops (relu, relu6
  forward).
* Every argument is first cast to that result dtype (that is what the ufunc
  loop receives), then evaluated in a working precision and rounded once:
  float16 in float32 (piecewise-linear functions) or float64 (exp-based),
  float32 exp-based functions in float64, float64 exp-based functions in long
  double (80-bit on x86) or mpmath, long double exp-based functions in mpmath.
  The exp-based results are therefore correctly rounded (up to a double
  rounding of probability ~2**-10 for float64), which is what ULP bounds are
  measured against.  Piecewise-linear results are exact.
* NaN in -> NaN out in forward, grad and backward; relu(-0.0) = +0.0; the sign
  of other zeros follows the formula; the derivative at a kink takes PyTorch's
  CPU value.  ``backward(dy, x, ...)`` is ``dy * grad(x, ...)`` with a single
  rounding of the product.
* The twins never emit floating-point warnings (they run under
  ``np.errstate(all="ignore")``), whatever the input.

``REFERENCES`` maps each activation name to a :class:`Reference` holding its
three twins, parameter samples for tests (the first one is the usual value)
and the x positions of its kinks.
"""

import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["REFERENCES", "Reference", "crelu"]

# ---------------------------------------------------------------------------
# dtype plumbing
# ---------------------------------------------------------------------------

_LONGDOUBLE_IS_WIDE = np.finfo(np.longdouble).nmant >= 63


def _result_dtype(args, int_loops=False):
    """The dtype the ufunc returns for these arguments (NEP 50 promotion)."""
    # Python scalars stay as they are (weak, NEP 50); anything else is an array
    args = [a if isinstance(a, (int, float, np.ndarray, np.generic)) else np.asarray(a)
            for a in args]
    dt = np.result_type(*args)
    if dt.kind not in "iuf":
        raise TypeError(f"reference: unsupported dtype {dt}")
    if dt.kind in "iu" and not int_loops:
        # NumPy's usual promotion of integers to the smallest safe float
        dt = np.result_type(dt, np.float16)
    return dt.newbyteorder("=")


def _cast(args, dt):
    """Each argument as an array of dtype ``dt`` (what the ufunc loop receives)."""
    with np.errstate(all="ignore"):
        return [np.asarray(a).astype(dt) for a in args]


def _round(r, dt):
    """Round a working-precision result once to the result dtype."""
    with np.errstate(all="ignore"):
        return np.asarray(r).astype(dt)


def _linear_work(dt):
    """Working dtype of piecewise-linear twins: float16 is computed in float32."""
    return np.dtype(np.float32) if dt == np.float16 else dt


def _prepare(args, int_loops=False):
    dt = _result_dtype(args, int_loops)
    arrays = np.broadcast_arrays(*_cast(args, dt))
    return dt, arrays


# ---------------------------------------------------------------------------
# alpha * expm1(x) and alpha * exp(x), correctly rounded to dtype dt
# ---------------------------------------------------------------------------

def _ld_to_mpf(v, mpmath):
    """Exact conversion of a finite float (any NumPy float type) to mpmath."""
    m, e = np.frexp(v)  # v = m * 2**e, 0.5 <= |m| < 1, m in v's own type
    bits = np.finfo(type(v)).nmant + 2
    mant = int(np.ldexp(m, bits))  # an integer, exactly representable
    return mpmath.ldexp(mpmath.mpf(mant), int(e) - bits)


def _mpf_to(v, dt, mpmath):
    """Round an mpmath number to dtype dt (via a 40-digit decimal string)."""
    fi = np.finfo(dt)
    if abs(v) < _ld_to_mpf(fi.smallest_subnormal, mpmath) / 4:  # rounds to zero
        return dt.type(-0.0 if v < 0 else 0.0)
    if abs(v) > _ld_to_mpf(fi.max, mpmath) * 2:  # rounds to infinity
        return dt.type(-np.inf if v < 0 else np.inf)
    text = mpmath.nstr(v, 40, min_fixed=1, max_fixed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # string conversion overflow/underflow
        return dt.type(text)


def _scaled_exp_mp(alpha, x, dt, minus_one):
    """Elementwise alpha * (expm1(x) if minus_one else exp(x)) with mpmath."""
    import mpmath

    out = np.empty(x.shape, dt)
    prec = np.finfo(dt).nmant + 1 + 48
    with mpmath.workprec(prec), np.errstate(all="ignore"):
        for idx in np.ndindex(x.shape):
            xv, av = x[idx], alpha[idx]
            if (np.isfinite(xv) and np.isfinite(av) and xv != 0 and av != 0):
                xm = _ld_to_mpf(xv, mpmath)
                e = mpmath.expm1(xm) if minus_one else mpmath.exp(xm)
                out[idx] = _mpf_to(_ld_to_mpf(av, mpmath) * e, dt, mpmath)
            else:
                # zeros, infinities, NaN: the operations are exact in dt itself
                # (expm1(+-0) = +-0, expm1(-inf) = -1, exp(-inf) = 0, ...)
                ex = np.expm1(xv) if minus_one else np.exp(xv)
                out[idx] = av * ex
    return out


def _scaled_exp(alpha, x, dt, minus_one):
    """alpha * expm1(x) (or alpha * exp(x)), rounded once to dtype dt."""
    dt = np.dtype(dt)
    if dt in (np.float16, np.float32):
        work = np.float64
    elif dt == np.float64 and _LONGDOUBLE_IS_WIDE:
        work = np.longdouble
    else:
        return _scaled_exp_mp(alpha, x, dt, minus_one)
    with np.errstate(all="ignore"):
        xw, aw = x.astype(work), alpha.astype(work)
        return _round(aw * (np.expm1(xw) if minus_one else np.exp(xw)), dt)


# ---------------------------------------------------------------------------
# relu: x if x > 0 else +0
# ---------------------------------------------------------------------------

def _relu_grad_w(x):
    """relu'(x) in x's (working) dtype: 1 for x > 0, 0 for x <= 0 (also at 0)."""
    g = np.where(x > 0, x.dtype.type(1), x.dtype.type(0))
    return np.where(np.isnan(x), x, g)


def relu(x):
    dt, (x,) = _prepare([x], int_loops=True)
    with np.errstate(all="ignore"):
        if dt.kind in "iu":
            return np.where(x > 0, x, dt.type(0))
        w = x.astype(_linear_work(dt))
        r = np.where(w > 0, w, w.dtype.type(0.0))  # +0.0 for -0.0 and negatives
        r = np.where(np.isnan(w), w, r)
        return _round(r, dt)


def relu_grad(x):
    dt, (x,) = _prepare([x])
    with np.errstate(all="ignore"):
        return _round(_relu_grad_w(x.astype(_linear_work(dt))), dt)


def relu_backward(dy, x):
    dt, (dy, x) = _prepare([dy, x])
    work = _linear_work(dt)
    with np.errstate(all="ignore"):
        return _round(dy.astype(work) * _relu_grad_w(x.astype(work)), dt)


# ---------------------------------------------------------------------------
# relu6: min(max(x, 0), 6)
# ---------------------------------------------------------------------------

def _relu6_grad_w(x):
    """relu6'(x): 1 strictly inside (0, 6), 0 elsewhere, also at 0 and at 6."""
    t = x.dtype.type
    g = np.where((x > 0) & (x < 6), t(1), t(0))
    return np.where(np.isnan(x), x, g)


def relu6(x):
    dt, (x,) = _prepare([x], int_loops=True)
    with np.errstate(all="ignore"):
        if dt.kind in "iu":
            r = np.where(x > 0, x, dt.type(0))
            return np.where(r > 6, dt.type(6), r)
        w = x.astype(_linear_work(dt))
        t = w.dtype.type
        r = np.where(w > 0, w, t(0.0))  # -0.0 -> +0.0, -inf -> +0.0
        r = np.where(r > 6, t(6), r)  # +inf -> 6
        r = np.where(np.isnan(w), w, r)
        return _round(r, dt)


def relu6_grad(x):
    dt, (x,) = _prepare([x])
    with np.errstate(all="ignore"):
        return _round(_relu6_grad_w(x.astype(_linear_work(dt))), dt)


def relu6_backward(dy, x):
    dt, (dy, x) = _prepare([dy, x])
    work = _linear_work(dt)
    with np.errstate(all="ignore"):
        return _round(dy.astype(work) * _relu6_grad_w(x.astype(work)), dt)


# ---------------------------------------------------------------------------
# leaky_relu / prelu: x if x >= 0 else alpha * x
# ---------------------------------------------------------------------------

def _leaky_grad_w(x, alpha):
    """1 for x > 0, alpha for x <= 0 (leaky'(0) = alpha), NaN for NaN x."""
    g = np.where(x > 0, x.dtype.type(1), alpha)
    return np.where(np.isnan(x), x, g)


def leaky_relu(x, alpha):
    dt, (x, alpha) = _prepare([x, alpha])
    work = _linear_work(dt)
    with np.errstate(all="ignore"):
        xw, aw = x.astype(work), alpha.astype(work)
        # -0.0 >= 0 holds, so -0.0 stays -0.0; a product of two float16 values
        # is exact in float32, so the one rounding is the final cast.
        r = np.where(xw >= 0, xw, aw * xw)
        r = np.where(np.isnan(xw), xw, r)
        return _round(r, dt)


def leaky_relu_grad(x, alpha):
    dt, (x, alpha) = _prepare([x, alpha])
    work = _linear_work(dt)
    with np.errstate(all="ignore"):
        return _round(_leaky_grad_w(x.astype(work), alpha.astype(work)), dt)


def leaky_relu_backward(dy, x, alpha):
    dt, (dy, x, alpha) = _prepare([dy, x, alpha])
    work = _linear_work(dt)
    with np.errstate(all="ignore"):
        g = _leaky_grad_w(x.astype(work), alpha.astype(work))
        return _round(dy.astype(work) * g, dt)


def prelu(x, weight):
    return leaky_relu(x, weight)


def prelu_grad(x, weight):
    return leaky_relu_grad(x, weight)


def prelu_backward(dy, x, weight):
    return leaky_relu_backward(dy, x, weight)


# ---------------------------------------------------------------------------
# elu: x if x > 0 else alpha * expm1(x)
# ---------------------------------------------------------------------------

def elu(x, alpha):
    dt, (x, alpha) = _prepare([x, alpha])
    with np.errstate(all="ignore"):
        neg = ~(x > 0)  # x <= 0 and NaN (NaN gives alpha * NaN = NaN)
        r = x.copy()
        r[neg] = _scaled_exp(alpha[neg], x[neg], dt, minus_one=True)
        r = np.where(np.isnan(x), x, r)
        return r


def elu_grad(x, alpha):
    dt, (x, alpha) = _prepare([x, alpha])
    with np.errstate(all="ignore"):
        neg = ~(x > 0)  # elu'(0) = alpha * exp(0) = alpha
        g = np.ones(x.shape, dt)
        g[neg] = _scaled_exp(alpha[neg], x[neg], dt, minus_one=False)
        return np.where(np.isnan(x), x, g)


def elu_backward(dy, x, alpha):
    dt, (dy, x, alpha) = _prepare([dy, x, alpha])
    with np.errstate(all="ignore"):
        neg = ~(x > 0)
        r = dy.copy()  # dy * 1 for x > 0
        r[neg] = _product_exp(dy[neg], alpha[neg], x[neg], dt)
        return np.where(np.isnan(x), x, r)


def _product_exp(dy, alpha, x, dt):
    """dy * alpha * exp(x), the exact product rounded once to dtype dt."""
    if dt in (np.float16, np.float32) or (dt == np.float64 and _LONGDOUBLE_IS_WIDE):
        # float16/float32: dy * alpha is exact in float64, one more rounding
        # for exp; float64 in 80-bit long double: ~2**-62 relative error
        work = np.float64 if dt in (np.float16, np.float32) else np.longdouble
        with np.errstate(all="ignore"):
            dw, aw, xw = dy.astype(work), alpha.astype(work), x.astype(work)
            return _round(dw * aw * np.exp(xw), dt)
    import mpmath

    out = np.empty(x.shape, dt)
    prec = np.finfo(dt).nmant + 1 + 48
    with mpmath.workprec(prec), np.errstate(all="ignore"):
        for idx in np.ndindex(x.shape):
            d, a, xv = dy[idx], alpha[idx], x[idx]
            if all(np.isfinite(v) and v != 0 for v in (d, a)) and np.isfinite(xv):
                p = (_ld_to_mpf(d, mpmath) * _ld_to_mpf(a, mpmath)
                     * mpmath.exp(_ld_to_mpf(xv, mpmath)))
                out[idx] = _mpf_to(p, dt, mpmath)
            else:
                # a zero, infinite or NaN factor: exact in dt (exp(-inf) = 0)
                out[idx] = d * (a * np.exp(xv))  # dy * grad: grad first
    return out


# ---------------------------------------------------------------------------
# crelu: concatenate(relu(x), relu(-x)) along axis
# ---------------------------------------------------------------------------

def crelu(x, axis=-1):
    x = np.asarray(x)
    pos = relu(x)
    if x.dtype.kind == "u":
        neg = np.zeros_like(pos)  # -x of an unsigned value is never positive
    else:
        with np.errstate(all="ignore"):
            neg = relu(np.negative(x))  # signed ints wrap: -(-128) = -128 -> 0
    return np.concatenate([pos, neg], axis=axis)


# ---------------------------------------------------------------------------
# The table the tests iterate over
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Reference:
    forward: object
    grad: object
    backward: object
    samples: tuple = ((),)  # parameter tuples for tests; the first is the usual one
    kinks: tuple = ()  # x where the derivative jumps (finite differences avoid them)

    def direction(self, direction):
        """The twin for "forward", "grad" or "backward"."""
        return {"forward": self.forward, "grad": self.grad,
                "backward": self.backward}[direction]


_SLOPES = ((0.01,), (0.25,), (1.0,), (2.5,), (-0.5,), (0.0,), (1e-3,))

REFERENCES = {
    "relu": Reference(relu, relu_grad, relu_backward, kinks=(0.0,)),
    "relu6": Reference(relu6, relu6_grad, relu6_backward, kinks=(0.0, 6.0)),
    "leaky_relu": Reference(leaky_relu, leaky_relu_grad, leaky_relu_backward,
                            samples=_SLOPES, kinks=(0.0,)),
    "prelu": Reference(prelu, prelu_grad, prelu_backward,
                       samples=((0.25,),) + tuple(s for s in _SLOPES if s != (0.25,)),
                       kinks=(0.0,)),
    "elu": Reference(elu, elu_grad, elu_backward,
                     samples=((1.0,), (0.5,), (1.6732632423543772,), (0.1,), (2.5,),
                              (-1.5,), (0.0,)),
                     kinks=(0.0,)),
}
