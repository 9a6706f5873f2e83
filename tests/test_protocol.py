"""The NumPy ufunc protocol: broadcasting, out=, where=, dtype=, casting=, lists,
Python scalars, 0-d input, type promotion (NEP 50), and clear errors.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import fastrelu
from conftest import (ACTIVATIONS, Expectation, check_values, float_values, samples,
                      seed_for, ufunc_params, values)


def _uf(act, direction):
    return getattr(fastrelu, act.ufunc_name(direction))


def _typed_args(act, direction, dt, n=None, rng=None):
    """Valid arguments of dtype dt: data arrays (or scalars) and the usual parameters."""
    ndata = 2 if direction == "backward" else 1
    if n is None:
        data = [dt.type(v) for v in ([1.5, -2.0] if ndata == 2 else [-2.0])]
    else:
        data = [values(dt, n, rng) for _ in range(ndata)]
    return data + [dt.type(p) for p in samples(act)[0]]


# ---------------------------------------------------------------------------
# Broadcasting
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("act, direction", ufunc_params())
def test_broadcasting_parameters_per_channel(act, direction):
    """A per-channel parameter of shape (C, 1, 1) broadcasts against x (N, C, H, W)."""
    rng = np.random.default_rng(seed_for(act.name, direction, "bcast"))
    uf = _uf(act, direction)
    dt = np.dtype(np.float32)
    x = float_values(dt, 2 * 3 * 4 * 5, rng).reshape(2, 3, 4, 5)
    data = [float_values(dt, x.size, rng).reshape(x.shape), x] if direction == "backward" else [x]
    s = samples(act)
    params = [np.array([s[i % len(s)][j] for i in range(3)], dtype=dt).reshape(3, 1, 1)
              for j in range(len(act.params))]
    args = data + params
    exp = Expectation(act, direction, dt, args)
    with np.errstate(**exp.errstate()):
        got = uf(*args)
    assert got.shape == (2, 3, 4, 5)
    exp.check(got, what=" (per-channel parameters)")


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_broadcasting_outer(act, direction):
    """x of shape (4, 1, 3) against other inputs of shape (5, 1) gives (4, 5, 3)."""
    rng = np.random.default_rng(seed_for(act.name, direction, "outer"))
    uf = _uf(act, direction)
    dt = np.dtype(np.float64)
    shapes = [(4, 1, 3)] + [(5, 1)] * (len(act.inputs(direction)) - 1)
    args = []
    for k, shape in enumerate(shapes):
        if act.inputs(direction)[k] in ("x", "dy"):
            args.append(float_values(dt, int(np.prod(shape)), rng).reshape(shape))
        else:
            j = k - (2 if direction == "backward" else 1)
            base = np.array([s[j] for s in samples(act)] * 5)[:5]
            args.append(base.reshape(shape).astype(dt))
    exp = Expectation(act, direction, dt, args)
    with np.errstate(**exp.errstate()):
        got = uf(*args)
    assert got.shape == ((4, 5, 3) if len(shapes) > 1 else (4, 1, 3))
    exp.check(got)


# ---------------------------------------------------------------------------
# out=, where=, dtype=, casting=
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("act, direction", ufunc_params())
def test_out_forms(act, direction):
    rng = np.random.default_rng(seed_for(act.name, direction, "out"))
    uf = _uf(act, direction)
    dt = np.dtype(np.float32)
    args = _typed_args(act, direction, dt, 37, rng)
    exp = Expectation(act, direction, dt, args)
    with np.errstate(**exp.errstate()):
        out = np.empty(37, dt)
        r = uf(*args, out=out)
        assert r is out
        exp.check(out, what=" out=array")
        out2 = np.empty(37, dt)
        r2 = uf(*args, out=(out2,))
        assert r2 is out2
        exp.check(out2, what=" out=(array,)")
        # a wider out: computed in the float32 loop, then cast
        out64 = np.empty(37, np.float64)
        uf(*args, out=out64)
        check_values(out64.astype(dt), exp.expected, exp.lo, exp.hi, exp.steps, dt,
                     what=f"{uf.__name__} out=float64")
    with pytest.raises(ValueError):
        uf(*args, out=np.empty(36, dt))
    with pytest.raises(TypeError):  # float result into an int array: not same_kind
        uf(*args, out=np.empty(37, np.int32))


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_where(act, direction):
    rng = np.random.default_rng(seed_for(act.name, direction, "where"))
    uf = _uf(act, direction)
    dt = np.dtype(np.float64)
    args = _typed_args(act, direction, dt, 50, rng)
    exp = Expectation(act, direction, dt, args)
    mask = rng.random(50) < 0.5
    out = np.full(50, 1234.5, dt)
    with np.errstate(**exp.errstate()):
        r = uf(*args, out=out, where=mask)
    assert r is out
    assert np.all(out[~mask] == 1234.5), "where=False elements were written"
    exp.check(out[mask], mask, " where=mask")
    # a broadcast where
    out = np.full((3, 50), -7.0, dt)
    with np.errstate(**exp.errstate()):
        uf(*args, out=out, where=mask[None, :])
    assert np.all(out[:, ~mask] == -7.0)
    for row in out:
        exp.check(row[mask], mask, " where=broadcast mask")


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_dtype_argument(act, direction):
    rng = np.random.default_rng(seed_for(act.name, direction, "dtype"))
    uf = _uf(act, direction)
    f32 = np.dtype(np.float32)
    args = _typed_args(act, direction, f32, 20, rng)
    for target in (np.float64, np.float16, np.longdouble):
        target = np.dtype(target)
        with np.errstate(all="ignore"):  # the float16 cast of the input may overflow
            cast = [np.asarray(a).astype(target) for a in args]
        exp = Expectation(act, direction, target, cast)
        with np.errstate(**exp.errstate()):
            if target == np.float16:  # NumPy's input cast may over/underflow
                with np.errstate(over="ignore", under="ignore"):
                    got = uf(*args, dtype=target)
            else:
                got = uf(*args, dtype=target)
        assert got.dtype == target
        exp.check(got, what=f" dtype={target}")
    # the output dtype cannot be reached safely from float64 to float32
    args64 = _typed_args(act, direction, np.dtype(np.float64), 5, rng)
    with pytest.raises(TypeError):
        uf(*args64, dtype=np.float32, casting="safe")
    with pytest.raises(TypeError):
        uf(*args64, out=np.empty(5, np.float32), casting="safe")
    with pytest.raises(TypeError):
        uf(*args, out=np.empty(20, np.float64), casting="no")
    # same_kind (the default) allows float64 -> float32
    with np.errstate(all="ignore"):
        r = uf(*args64, dtype=np.float32)
    assert r.dtype == np.float32


# ---------------------------------------------------------------------------
# Lists, Python scalars, 0-d input, promotion
# ---------------------------------------------------------------------------

def test_lists_and_python_scalars():
    r = fastrelu.relu([-1.0, 2.0, -0.0])
    assert isinstance(r, np.ndarray) and r.dtype == np.float64
    assert r.tolist() == [0.0, 2.0, 0.0] and not np.signbit(r).any()
    r = fastrelu.relu([-1, 2, 7])
    assert r.dtype == np.dtype(int) and r.tolist() == [0, 2, 7]
    r = fastrelu.relu(-1.5)
    assert type(r) is np.float64 and r == 0.0 and not np.signbit(r)
    r = fastrelu.relu(3)
    assert type(r) is np.dtype(int).type and r == 3
    r = fastrelu.relu6([[9, -2], [3, 6]])
    assert r.tolist() == [[6, 0], [3, 6]]
    r = fastrelu.leaky_relu(-2.0, 0.25)
    assert type(r) is np.float64 and r == -0.5
    r = fastrelu.leaky_relu([-2.0, 4.0], [0.5, 0.1])
    assert r.tolist() == [-1.0, 4.0]
    r = fastrelu.elu(-np.inf, 1.0)
    assert type(r) is np.float64 and r == -1.0
    r = fastrelu.relu_grad(3)
    assert type(r) is np.float64 and r == 1.0
    r = fastrelu.relu_backward([2.0, 2.0], [1.0, -1.0])
    assert r.tolist() == [2.0, 0.0]


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_zero_d_input_returns_scalar(act, direction):
    uf = _uf(act, direction)
    for t in "efdg":
        dt = np.dtype(t)
        args = _typed_args(act, direction, dt)
        for form in (args, [np.array(a) for a in args]):
            with np.errstate(all="raise"):
                r = uf(*form)
            assert type(r) is dt.type, f"{uf.__name__} on 0-d {dt}: {type(r).__name__}"
            exp = Expectation(act, direction, dt, args)
            exp.check(np.asarray(r), what=" 0-d")


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_float16_stays_float16(act, direction):
    uf = _uf(act, direction)
    f16 = np.dtype(np.float16)
    ndata = 2 if direction == "backward" else 1
    data = [np.linspace(-3, 3, 9).astype(f16)] * ndata
    params = [float(p) for p in samples(act)[0]]  # Python floats: weak
    assert uf(*data, *params).dtype == f16
    params = [int(round(p)) if p == round(p) else p for p in params]  # Python ints too
    assert uf(*data, *params).dtype == f16


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_nep50_weak_python_scalars(act, direction):
    uf = _uf(act, direction)
    ndata = 2 if direction == "backward" else 1
    for t in "efdg":
        dt = np.dtype(t)
        data = [np.array([-1.5, 0.5, 2.0], dtype=dt)] * ndata
        params = [0.1] * len(act.params)
        got = uf(*data, *params)
        assert got.dtype == dt, f"{uf.__name__}: {dt} array with Python floats gave {got.dtype}"
        # the parameter is cast to the array's type, as NEP 50 says
        exp = Expectation(act, direction, dt, data + [dt.type(0.1)] * len(act.params))
        exp.check(got, what=" weak parameter")
    if act.params:
        # a NumPy float64 scalar is strong: it promotes
        data = [np.array([-1.5, 0.5], dtype=np.float32)] * ndata
        params = [np.float64(0.1)] * len(act.params)
        assert uf(*data, *params).dtype == np.float64


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_integer_inputs_follow_numpy_promotion(act, direction):
    uf = _uf(act, direction)
    ndata = 2 if direction == "backward" else 1
    int_loops = direction == "forward" and act.int_loops
    for t in "bBhHiIlLqQ":
        dt = np.dtype(t)
        x = np.array([-3, 0, 2, 7], dtype=dt) if dt.kind == "i" else np.array([0, 2, 7], dtype=dt)
        data = [x] * ndata
        if act.params:
            # NumPy's own rule for an int array with a Python float
            params = [float(p) for p in samples(act)[0]]
            want = np.result_type(x, 0.5)
        else:
            params = []
            # NumPy's own int -> float rule for a unary function
            want = dt if int_loops else np.sqrt(np.zeros(1, dt)).dtype
        got = uf(*data, *params)
        assert got.dtype == want, f"{uf.__name__}({dt}): {got.dtype}, NumPy's rule gives {want}"
        exp = Expectation(act, direction, want, [d.astype(want) for d in data] + params)
        exp.check(got, what=f" ({dt} input)")


def test_integer_loops_keep_integer_type():
    for act in ACTIVATIONS:
        if not act.int_loops:
            continue
        uf = _uf(act, "forward")
        for t in "bBhHiIlLqQ":
            x = np.array([0, 1, 7, 100], dtype=t)
            r = uf(x)
            assert r.dtype == x.dtype, f"{act.name}({np.dtype(t)}) gave {r.dtype}"


def test_backward_promotes_mixed_inputs():
    dy = np.array([1.0, 2.0], dtype=np.float32)
    x = np.array([1.0, -1.0], dtype=np.float64)
    r = fastrelu.relu_backward(dy, x)
    assert r.dtype == np.float64 and r.tolist() == [1.0, 0.0]
    r = fastrelu.leaky_relu_backward(dy, x.astype(np.float16), np.float16(0.5))
    assert r.dtype == np.float32 and r.tolist() == [1.0, 1.0]


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

def _bad_arrays():
    return {
        "boolean": np.array([True, False]),
        "complex128": np.array([1 + 2j, 0j]),
        "object": np.array([1.0, None], dtype=object),
        "<U1": np.array(["a", "b"]),
        "|S1": np.array([b"a", b"b"]),
        "datetime64[D]": np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
        "timedelta64[s]": np.array([1, 2], dtype="timedelta64[s]"),
    }


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_bad_dtypes_raise_clear_type_error(act, direction):
    uf = _uf(act, direction)
    name = uf.__name__
    inputs = act.inputs(direction)
    for pos, input_name in enumerate(inputs):
        for what, bad in _bad_arrays().items():
            args = [np.array([1.0, -2.0])] * len(inputs)
            args[pos] = bad
            with pytest.raises(TypeError) as info:
                uf(*args)
            msg = str(info.value)
            prefix = (f"fastrelu.{name}: argument {pos + 1} ({input_name!r}) has "
                      f"unsupported dtype")
            assert msg.startswith(prefix), f"{what} as {input_name}: {msg!r}"
            if what == "boolean":
                assert "unsupported dtype boolean" in msg
            # the message lists what is accepted
            assert "float32" in msg and "float64" in msg


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_python_bool_is_rejected(act, direction):
    uf = _uf(act, direction)
    inputs = act.inputs(direction)
    for pos in range(len(inputs)):
        args = [1.0] * len(inputs)
        args[pos] = True
        with pytest.raises(TypeError, match=rf"fastrelu\.{uf.__name__}: argument {pos + 1} "):
            uf(*args)


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_wrong_argument_count(act, direction):
    uf = _uf(act, direction)
    nin = len(act.inputs(direction))
    for n in (0, nin - 1, nin + 2):
        if n < 0 or n == nin:
            continue
        with pytest.raises(TypeError, match=uf.__name__):
            uf(*([1.0] * n))


def test_out_of_wrong_type_is_rejected():
    with pytest.raises(TypeError):
        fastrelu.relu(np.ones(3), out=[0.0, 0.0, 0.0])


# ---------------------------------------------------------------------------
# Hypothesis: shapes, strides, broadcasting, out=, where=
# ---------------------------------------------------------------------------

# derandomize: the same examples on every run (the suite stays deterministic)
HYP = settings(max_examples=25, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _strided_copy(data, a, label):
    """a as a view with random steps (1, 2 or -1) along each axis."""
    steps = data.draw(st.lists(st.sampled_from([1, 2, -1]), min_size=a.ndim, max_size=a.ndim),
                      label=label)
    big_shape = tuple(n * abs(s) for n, s in zip(a.shape, steps))
    big = np.zeros(big_shape, a.dtype)
    view = big[tuple(slice(None, None, s) for s in steps)]
    view[...] = a
    return view


@pytest.mark.parametrize("act, direction", ufunc_params())
@HYP
@given(data=st.data())
def test_hypothesis_broadcast_strides_out_where(act, direction, data):
    uf = _uf(act, direction)
    dt = np.dtype(data.draw(st.sampled_from(list(act.types(direction))), label="type"))
    nin = len(act.inputs(direction))
    shapes = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=nin, min_dims=0, max_dims=3,
                                                         max_side=5), label="shapes")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    ndata = 2 if direction == "backward" else 1
    args = []
    for k, shape in enumerate(shapes.input_shapes):
        size = int(np.prod(shape))
        if k < ndata:
            a = values(dt, size, rng).reshape(shape)
        else:
            s = samples(act)
            a = np.array([s[i % len(s)][k - ndata] for i in range(size)],
                         dtype=dt).reshape(shape) if size else np.empty(shape, dt)
        if a.ndim and data.draw(st.booleans(), label=f"strided {k}"):
            a = _strided_copy(data, a, f"steps {k}")
        args.append(a)
    exp = Expectation(act, direction, dt, args)
    kwargs = {}
    out = None
    if data.draw(st.booleans(), label="use out"):
        out = np.full(shapes.result_shape, 3, dtype=dt)
        if out.ndim and data.draw(st.booleans(), label="strided out"):
            out = _strided_copy(data, out, "out steps")
        kwargs["out"] = out
    mask = None
    if out is not None and data.draw(st.booleans(), label="use where"):
        mask = data.draw(hnp.arrays(np.bool_, shapes.result_shape), label="where")
        kwargs["where"] = mask
    before = None if out is None else out.copy()
    with np.errstate(**exp.errstate()):
        got = uf(*args, **kwargs)
    if out is not None:
        assert got is out
    got = np.asarray(got)
    assert got.shape == tuple(shapes.result_shape)
    if mask is None:
        exp.check(got, what=f" shapes={shapes.input_shapes}")
    else:
        assert np.array_equal(got[~mask], before[~mask]), "where=False elements changed"
        exp.check(got[mask], mask, f" shapes={shapes.input_shapes} where")


@pytest.mark.parametrize("act, direction", ufunc_params())
@HYP
@given(data=st.data())
def test_hypothesis_dtype_and_casting(act, direction, data):
    uf = _uf(act, direction)
    in_t = np.dtype(data.draw(st.sampled_from("efdg"), label="input type"))
    out_t = np.dtype(data.draw(st.sampled_from("efdg"), label="dtype="))
    n = data.draw(st.integers(0, 20), label="n")
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    args = _typed_args(act, direction, in_t, n, rng)
    safe = np.can_cast(in_t, out_t, "safe")
    if not safe:
        with pytest.raises(TypeError):
            uf(*args, dtype=out_t, casting="safe")
    with np.errstate(all="ignore"):
        cast = [np.asarray(a).astype(out_t) for a in args]
    exp = Expectation(act, direction, out_t, cast)
    with np.errstate(**exp.errstate()):
        # the input cast may itself over/underflow (float64 -> float16): NumPy's business
        narrowing = not np.can_cast(in_t, out_t, "safe")
        with np.errstate(**({"over": "ignore", "under": "ignore"} if narrowing else {})):
            got = uf(*args, dtype=out_t)
    assert got.dtype == out_t
    exp.check(got, what=f" {in_t} input, dtype={out_t}")
