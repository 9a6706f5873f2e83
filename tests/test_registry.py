"""The public surface: every spec row is a ufunc named after it, with a
docstring, a twin, loops in the promised order; show_config, __version__,
pickle, and use from a spawned process.
"""

import doctest
import importlib.metadata
import io
import multiprocessing
import pickle

import numpy as np
import pytest

import fastrelu
from conftest import ACTIVATIONS, DIRECTIONS, Expectation, float_values, seed_for, ufunc_params
from fastrelu import _spec
from fastrelu._reference import REFERENCES

SIGNED, UNSIGNED, FLOATS = "bhilq", "BHILQ", "efdg"


@pytest.mark.parametrize("act", ACTIVATIONS, ids=[a.name for a in ACTIVATIONS])
def test_every_spec_row_has_a_twin(act):
    assert act.name in REFERENCES, f"no hand-written twin for {act.name} in _reference.py"
    ref = REFERENCES[act.name]
    for d in DIRECTIONS:
        assert callable(ref.direction(d))
    assert ref.samples and all(len(s) == len(act.params) for s in ref.samples)


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_ufunc_object(act, direction):
    name = act.ufunc_name(direction)
    uf = getattr(fastrelu, name)
    assert isinstance(uf, np.ufunc)
    assert uf.__name__ == name
    assert uf.__module__ == "fastrelu"
    assert name in fastrelu.__all__
    nin = len(act.inputs(direction))
    assert (uf.nin, uf.nout) == (nin, 1)
    assert nin == (2 if direction == "backward" else 1) + len(act.params)
    # loops exactly as the spec says, each type in and out
    chars = [t.split("->")[0][0] for t in uf.types]
    assert chars == list(act.types(direction))
    for t in uf.types:
        ins, outs = t.split("->")
        assert set(ins) == {outs} and len(ins) == nin


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_loop_order(act, direction):
    """Integers before floats (int8 must not land in float16), float16 before float32."""
    chars = [t[0] for t in getattr(fastrelu, act.ufunc_name(direction)).types]
    floats = [c for c in chars if c in FLOATS]
    assert floats == list(FLOATS), f"float loops {floats}"
    ints = [i for i, c in enumerate(chars) if c in SIGNED + UNSIGNED]
    if direction == "forward" and act.int_loops:
        assert sorted(c for c in chars if c in SIGNED + UNSIGNED) == sorted(SIGNED + UNSIGNED)
        assert max(ints) < chars.index("e")
    else:
        assert not ints


def test_public_names():
    expected = set(_spec.ufunc_names()) | {"crelu", "show_config", "__version__", "ISA",
                                           "set_num_threads", "get_num_threads", "num_threads"}
    assert set(fastrelu.__all__) == expected
    for name in fastrelu.__all__:
        assert hasattr(fastrelu, name), name
    # the DESIGN table's first functions exist with their three directions
    for name in ("relu", "relu6", "leaky_relu", "prelu", "elu"):
        for suffix in ("", "_grad", "_backward"):
            assert isinstance(getattr(fastrelu, name + suffix), np.ufunc)


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_docstrings(act, direction):
    uf = getattr(fastrelu, act.ufunc_name(direction))
    doc = uf.__doc__
    assert doc and uf.__name__ in doc
    if direction == "forward":
        assert act.formula in doc
    elif direction == "grad":
        assert "derivative" in doc
    else:
        assert "dy" in doc
    for p in act.params:
        assert p.name in doc
        assert f"Usual value: {p.usual}" in doc
    assert "float16" in doc and "NaN" in doc


def test_docstrings_name_the_usual_values():
    """Written out here, not taken from the spec: the framework defaults."""
    assert "0.01" in fastrelu.leaky_relu.__doc__
    assert "0.25" in fastrelu.prelu.__doc__
    assert "1.0" in fastrelu.elu.__doc__
    assert "x if x > 0" in fastrelu.relu.__doc__
    assert "expm1" in fastrelu.elu.__doc__
    assert "min(max(x, 0), 6)" in fastrelu.relu6.__doc__


def _docs_with_examples():
    out = []
    for name in _spec.ufunc_names():
        doc = getattr(fastrelu, name).__doc__ or ""
        if ">>>" in doc:
            out.append(pytest.param(name, id=name))
    return out


def test_forward_docstrings_have_examples():
    names = {p.values[0] for p in _docs_with_examples()}
    assert {a.name for a in ACTIVATIONS} <= names


@pytest.mark.parametrize("name", _docs_with_examples())
def test_docstring_examples_run(name):
    doc = getattr(fastrelu, name).__doc__
    test = doctest.DocTestParser().get_doctest(doc, {"np": np, "fastrelu": fastrelu}, name,
                                               None, 0)
    assert test.examples
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


def test_crelu_docstring_example():
    doc = fastrelu.crelu.__doc__
    test = doctest.DocTestParser().get_doctest(doc, {}, "crelu", None, 0)
    assert test.examples
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    out = io.StringIO()
    runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


def test_show_config(capsys):
    buf = io.StringIO()
    fastrelu.show_config(file=buf)
    text = buf.getvalue()
    assert f"fastrelu {fastrelu.__version__}" in text
    assert np.__version__ in text
    lines = text.splitlines()
    for act in ACTIVATIONS:
        for d in DIRECTIONS:
            name = act.ufunc_name(d)
            row = [ln for ln in lines if ln.split() and ln.split()[0] == name]
            assert len(row) == 1, f"show_config has no single row for {name}"
            for t in act.types(d):
                assert np.dtype(t).name in row[0]
    fastrelu.show_config()
    assert capsys.readouterr().out == text


def test_version():
    assert fastrelu.__version__ == importlib.metadata.version("fastrelu")
    parts = fastrelu.__version__.split(".")
    assert len(parts) >= 2 and all(p.isdigit() for p in parts[:2])


@pytest.mark.parametrize("act, direction", ufunc_params())
def test_pickle(act, direction):
    uf = getattr(fastrelu, act.ufunc_name(direction))
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(uf, protocol=protocol)) is uf


def test_pickle_crelu():
    assert pickle.loads(pickle.dumps(fastrelu.crelu)) is fastrelu.crelu


def test_spawned_process():
    """Ufuncs pickle by name and work in a fresh (spawned) interpreter."""
    rng = np.random.default_rng(seed_for("spawn"))
    x = float_values(np.float32, 200, rng)
    dy = float_values(np.float32, 200, rng)
    calls = []
    for act in ACTIVATIONS:
        p = [float(v) for v in REFERENCES[act.name].samples[0]]
        calls.append((act, "forward", [x] + p))
        calls.append((act, "backward", [dy, x] + p))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        pending = [pool.apply_async(getattr(fastrelu, act.ufunc_name(d)), tuple(args))
                   for act, d, args in calls]
        results = [r.get(timeout=120) for r in pending]
    for (act, d, args), got in zip(calls, results):
        Expectation(act, d, np.float32, args).check(got, what=" (spawned process)")
