"""crelu: concatenated ReLU, the one activation that is not elementwise."""

import numpy as np
from numpy.lib.array_utils import normalize_axis_index

from . import _ufuncs


def crelu(x, axis=-1, out=None):
    """crelu(x, axis=-1, out=None)

    Concatenated ReLU: ``concatenate([relu(x), relu(-x)], axis)``, so the output
    is twice as long as ``x`` along ``axis``.  Not a ufunc: the result is always a
    NumPy array (a dask array is computed, a pandas index is not kept).

    Both halves are written straight into one output by the ufuncs (no
    temporary arrays).  Follows relu's special values: NaN stays NaN in both
    halves, zeros give +0.  For unsigned integers ``relu(-x)`` is 0 (the
    negation of a non-negative number is never positive); for signed integers
    the negation wraps like NumPy's (``-(-128)`` is -128 in int8, giving 0).

    Parameters
    ----------
    x : array_like
    axis : int, default -1
        The axis that is doubled.
    out : ndarray, optional
        Output of the doubled shape; cast to with NumPy's ``same_kind`` rule.

    Examples
    --------
    >>> import numpy as np, fastrelu
    >>> fastrelu.crelu(np.array([1.0, -2.0]))
    array([1., 0., 0., 2.])
    """
    x = np.asanyarray(x)
    if x.dtype.kind not in "iuf":
        raise TypeError(f"fastrelu.crelu: x has unsupported dtype {x.dtype}; crelu accepts "
                        "the integer and float dtypes of relu")
    if x.ndim == 0:
        raise ValueError("fastrelu.crelu: x must have at least one dimension "
                         "(the axis to double); got a 0-d input")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"fastrelu.crelu: axis must be an integer, got {axis!r}")
    try:
        axis = normalize_axis_index(int(axis), x.ndim)
    except np.exceptions.AxisError:
        raise np.exceptions.AxisError(
            f"fastrelu.crelu: axis {axis} is out of bounds for an input with "
            f"{x.ndim} dimension(s)") from None
    shape = list(x.shape)
    half = shape[axis]
    shape[axis] = 2 * half
    if out is None:
        dtype = _ufuncs.relu.resolve_dtypes((x.dtype, None))[-1]
        out = np.empty(shape, dtype=dtype)
    elif not isinstance(out, np.ndarray):
        raise TypeError("fastrelu.crelu: out must be a NumPy array, got "
                        f"{type(out).__name__}")
    elif out.shape != tuple(shape):
        raise ValueError(f"fastrelu.crelu: out has shape {out.shape}, expected "
                         f"{tuple(shape)} (x.shape with axis {axis} doubled)")
    elif np.shares_memory(out, x):
        raise ValueError("fastrelu.crelu: out must not overlap x")
    index = [slice(None)] * x.ndim
    index[axis] = slice(0, half)
    first = out[tuple(index)]
    index[axis] = slice(half, 2 * half)
    second = out[tuple(index)]
    _ufuncs.relu(x, out=first)
    if x.dtype.kind == "u":
        second[...] = 0
    else:
        np.negative(x, out=second)
        _ufuncs.relu(second, out=second)
    return out
