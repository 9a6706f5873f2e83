"""Runtime instruction-set dispatch: every path agrees with the others, and
``FASTRELU_ISA`` selects, refuses and reports paths as documented.

Differential test
-----------------
Every module in ``_dispatch.available()`` (never one the CPU cannot run: that
could kill the process with SIGILL) is imported directly and each of its
ufuncs is compared with the same ufunc of the least instruction set
(``baseline``) over the registry (every activation x direction x loop type),
scalar and array parameters, the contiguous, strided, negative-stride and
in-place layouts of ``test_layouts`` and the lengths 0..70 plus a few long
ones, on the input pools of ``conftest`` (which mix in NaN, +-0, +-inf,
subnormals, huge values and the kinks).

* piecewise-linear rows: bit-identical (NaN == NaN, +0.0 != -0.0);
* other rows: each path within the row's ULP bound of the correctly rounded
  twin, NaN in the same places and zeros with the same sign on both paths.
  Requiring the two paths to be within ``ulp_bound`` of *each other* would
  not be sound: the contract lets each of them be ``ulp_bound`` away from the
  exact result, on opposite sides (an FMA-contracted polynomial on AVX2 and a
  separately rounded one on SSE2 legitimately do that), so two correct paths
  may be ``2 * ulp_bound`` apart.  Checking both against the reference is
  the contract itself, and it bounds their distance by ``2 * ulp_bound``.

The ``FASTRELU_ISA`` tests run fresh interpreters (the variable is read once,
at import), each with a timeout.
"""

import io
import json
import sys

import numpy as np
import pytest

import fastrelu
from conftest import (CASES, assert_same_bits, check_values, describe, length_n_inputs,
                      run_python)
from fastrelu import _dispatch
from test_layouts import LAYOUTS

AVAILABLE = _dispatch.available()
BUILT = _dispatch.built()
# the least instruction set the CPU runs: what every other path is compared with
REFERENCE_ISA = AVAILABLE[-1] if AVAILABLE else None
OTHER_ISAS = [isa for isa in AVAILABLE if isa != REFERENCE_ISA]
UNSUPPORTED = [isa for isa in BUILT if isa not in AVAILABLE]

# 0..70 covers the empty call, every SIMD body and tail; the long ones go
# through many vector iterations and wrap around the 263-element pools
LENGTHS = list(range(71)) + [263, 1000, 4099]
# the layouts of test_layouts that reach the different branches of the loops
# (contiguous / in place / strided, each with scalar or array parameters: the
# loops choose per call); negative strides on input and on output
DIFF_LAYOUTS = ["contiguous", "strided", "negative_stride", "in_place"]


def _module(isa):
    return _dispatch.load(isa)


def _diff_matrix():
    if not OTHER_ISAS:
        reason = (f"only one instruction-set path runs here ({', '.join(AVAILABLE) or 'none'}; "
                  f"built: {', '.join(BUILT) or 'none'}): nothing to compare")
        return [pytest.param(None, None, None, marks=pytest.mark.skip(reason=reason),
                             id="single-path")]
    out = []
    for isa in OTHER_ISAS:
        for case in CASES:
            for variant in (["scalar", "array"] if case.nparams else ["scalar"]):
                label = f"{isa}-vs-{REFERENCE_ISA}-{case.id}" + (
                    f"-{variant}-params" if case.nparams else "")
                out.append(pytest.param(isa, case, variant, id=label))
    return out


@pytest.mark.parametrize("isa, case, variant", _diff_matrix())
def test_paths_agree(isa, case, variant):
    ref_mod, mod = _module(REFERENCE_ISA), _module(isa)
    # two different builds, each the one it claims to be
    assert ref_mod is not mod
    assert ref_mod.BUILD_INFO["isa"] == REFERENCE_ISA and mod.BUILD_INFO["isa"] == isa
    assert ref_mod.LOOP_TYPES[case.name] == mod.LOOP_TYPES[case.name]
    uf_ref, uf = ref_mod.UFUNCS[case.name], mod.UFUNCS[case.name]
    assert uf is not uf_ref and uf.types == uf_ref.types
    dt = case.dtype
    compared = 0
    for n in LENGTHS:
        idx, exp, data, params = length_n_inputs(case, variant, n)
        # both paths under the same error state: neither may raise a flag the
        # contract does not allow for these elements
        errstate = exp.errstate(idx)
        for name in DIFF_LAYOUTS:
            with np.errstate(**errstate):
                res_ref = LAYOUTS[name](uf_ref, data, params, variant == "array", dt)
                res = LAYOUTS[name](uf, data, params, variant == "array", dt)
            assert len(res) == len(res_ref)
            for (r_ref, fn, what), (r, _, _) in zip(res_ref, res):
                compared += 1
                r_ref, r = np.asarray(r_ref), np.asarray(r)
                if r.dtype == r_ref.dtype and r.tobytes() == r_ref.tobytes() \
                        and dt != np.longdouble:
                    continue  # the same bytes (long double has padding bytes: compare values)
                _compare(case, isa, exp, idx, fn, r_ref, r, f"n={n} {name}{what}")
    assert compared > len(LENGTHS) * len(DIFF_LAYOUTS)


def _compare(case, isa, exp, idx, fn, r_ref, r, what):
    inputs = [fn(np.broadcast_to(a, exp.expected.shape)[idx]) for a in exp.arrays]
    label = f"{case.name} {what}"
    if case.steps == 0:
        assert_same_bits(r, r_ref, f"{label} [{isa} vs {REFERENCE_ISA}]", inputs)
        return
    # both paths within the ULP bound of the correctly rounded twin ...
    for path, res in ((REFERENCE_ISA, r_ref), (isa, r)):
        check_values(res, fn(exp.expected[idx]), fn(exp.lo[idx]), fn(exp.hi[idx]),
                     case.steps, case.dtype, inputs, f"{label} [{path}]", fn(exp.nan_ok[idx]))
    # ... and the same policy on both: NaN in the same places, the same sign of
    # zero (the reference tolerates a NaN for dy = inf times a gradient that
    # may round to 0; the paths must still agree there)
    with np.errstate(invalid="ignore"):
        same = (np.isnan(r) == np.isnan(r_ref)) & \
            ((r != 0) | (r_ref != 0) | (np.signbit(r) == np.signbit(r_ref)))
    if not np.all(same):
        k = tuple(np.argwhere(~same)[0])
        raise AssertionError(
            f"{label} [{isa} vs {REFERENCE_ISA}]: NaN or signed-zero mismatch at {k}: "
            f"inputs {[a[k] for a in inputs]} -> {r[k]!r} vs {r_ref[k]!r}")


# ---------------------------------------------------------------------------
# In this process: the dispatch functions
# ---------------------------------------------------------------------------

def test_dispatch_sets():
    assert AVAILABLE, "no compiled instruction-set module runs on this CPU"
    assert set(AVAILABLE) <= set(BUILT) <= set(_dispatch.ISAS)
    # best first, in ISAS order
    assert list(AVAILABLE) == [isa for isa in _dispatch.ISAS if isa in AVAILABLE]
    assert list(BUILT) == [isa for isa in _dispatch.ISAS if isa in BUILT]
    # the baseline build runs on every CPU of the platform
    if "baseline" in BUILT:
        assert "baseline" in AVAILABLE


def test_chosen_module_is_the_one_in_use():
    assert fastrelu.ISA in AVAILABLE
    assert fastrelu._ufuncs is _dispatch.load(fastrelu.ISA)
    assert fastrelu._ufuncs.BUILD_INFO["isa"] == fastrelu.ISA
    for name, uf in fastrelu._ufuncs.UFUNCS.items():
        assert getattr(fastrelu, name) is uf


def test_requested_path_is_running():
    """The per-ISA CI runs (FASTRELU_ISA=...) really test that path."""
    import os

    requested = os.environ.get("FASTRELU_ISA", "auto").strip().lower()
    expected = AVAILABLE[0] if requested in ("", "auto") else requested
    assert fastrelu.ISA == expected


def test_unrunnable_modules_never_imported():
    for isa in BUILT:
        if isa not in AVAILABLE:
            assert f"fastrelu._ufuncs_{isa}" not in sys.modules, \
                f"the {isa} module was imported although this CPU cannot run it"


def test_choose():
    assert _dispatch.choose("auto") == AVAILABLE[0]
    for isa in AVAILABLE:
        assert _dispatch.choose(isa) == isa
    for bad in ("sse9", "avx", "native", "baseline,avx2"):
        with pytest.raises(ValueError, match="FASTRELU_ISA") as info:
            _dispatch.choose(bad)
        for name in _dispatch.ISAS + ("auto",):
            assert name in str(info.value)
    for isa in UNSUPPORTED:
        with pytest.raises(ImportError, match="FASTRELU_ISA") as info:
            _dispatch.choose(isa)
        for name in AVAILABLE:
            assert name in str(info.value)


def test_show_config_names_paths():
    buf = io.StringIO()
    fastrelu.show_config(file=buf)
    line = _isa_line(buf.getvalue())
    assert fastrelu.ISA in line
    for isa in AVAILABLE:
        assert isa in line


def _isa_line(text):
    lines = [ln for ln in text.splitlines() if "instruction set" in ln.lower()]
    assert len(lines) == 1, f"show_config has no single instruction-set line:\n{text}"
    return lines[0]


# ---------------------------------------------------------------------------
# FASTRELU_ISA in fresh interpreters
# ---------------------------------------------------------------------------

PROBE = """
    import json, sys
    import numpy as np
    import fastrelu
    x = np.array([-2.0, -0.0, 0.5, np.nan, 3.0], dtype=np.float32)
    r = fastrelu.leaky_relu(x, 0.25)
    print(json.dumps({
        "isa": fastrelu.ISA,
        "module": fastrelu._ufuncs.__name__,
        "build_isa": fastrelu._ufuncs.BUILD_INFO["isa"],
        "loaded": sorted(m for m in sys.modules if m.startswith("fastrelu._ufuncs_")),
        "file": fastrelu.__file__,
        "result": [repr(float(v)) for v in r],
    }))
    fastrelu.show_config()
"""


def _probe(**env):
    proc = run_python(PROBE, timeout=60, **env)
    assert proc.returncode == 0, describe(proc)
    head, _, config = proc.stdout.partition("\n")
    return json.loads(head), config


def _check_probe(info, config, isa):
    assert info["isa"] == isa
    assert info["module"] == f"fastrelu._ufuncs_{isa}"
    assert info["build_isa"] == isa
    # no other variant was imported (in particular none the CPU cannot run)
    assert info["loaded"] == [f"fastrelu._ufuncs_{isa}"]
    assert info["file"] == fastrelu.__file__
    assert info["result"] == ["-0.5", "-0.0", "0.5", "nan", "3.0"]
    line = _isa_line(config)
    assert isa in line
    for name in AVAILABLE:
        assert name in line, f"show_config does not name available path {name}: {line}"


@pytest.mark.parametrize("isa", AVAILABLE)
def test_env_selects_path(isa):
    info, config = _probe(FASTRELU_ISA=isa)
    _check_probe(info, config, isa)


@pytest.mark.parametrize("value", [None, "auto"])
def test_env_auto_picks_best(value):
    info, config = _probe(FASTRELU_ISA=value)  # None: not set
    _check_probe(info, config, AVAILABLE[0])


def _assert_clean_import_error(proc, *names):
    """The import failed with a Python exception (not a signal), naming names."""
    assert proc.returncode == 1, "expected a Python traceback, got " + describe(proc)
    assert "Traceback (most recent call last)" in proc.stderr, describe(proc)
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith(("ImportError", "ValueError", "ModuleNotFoundError")), last
    for name in names:
        assert name in last, f"{name!r} missing from the error: {last}"


@pytest.mark.parametrize("value", ["avx1024"])
def test_env_unknown_value(value):
    proc = run_python("import fastrelu", timeout=60, FASTRELU_ISA=value)
    _assert_clean_import_error(proc, "FASTRELU_ISA", value, *_dispatch.ISAS, "auto")


@pytest.mark.skipif(not UNSUPPORTED, reason="every built instruction set runs on this CPU")
@pytest.mark.parametrize("isa", UNSUPPORTED)
def test_env_unsupported_value(isa):
    proc = run_python("import fastrelu", timeout=60, FASTRELU_ISA=isa)
    # names the request and what this CPU can run instead
    _assert_clean_import_error(proc, "FASTRELU_ISA", isa, *AVAILABLE)


# A variant missing from the installation (as on a platform or compiler
# without it): hide its module from the import system in the child.
HIDE = """
    import sys
    HIDDEN = set({hidden!r})

    class Hide:
        def __init__(self, inner):
            self.inner = inner

        def find_spec(self, name, path=None, target=None):
            if name in HIDDEN:
                return None
            return self.inner.find_spec(name, path, target)

        def __getattr__(self, attr):
            return getattr(self.inner, attr)

    sys.meta_path[:] = [Hide(f) for f in sys.meta_path if hasattr(f, "find_spec")]
"""


def test_env_missing_build():
    hidden = AVAILABLE[0]
    rest = AVAILABLE[1:]
    mods = [f"fastrelu._ufuncs_{hidden}"]
    code = HIDE.format(hidden=mods) + """
    import fastrelu
    from fastrelu import _dispatch
    print(fastrelu.ISA, ",".join(_dispatch.built()), ",".join(_dispatch.available()))
    """
    proc = run_python(code, timeout=60, FASTRELU_ISA=hidden)
    # names the request and what this installation has
    _assert_clean_import_error(proc, "FASTRELU_ISA", hidden, *(b for b in BUILT if b != hidden))
    proc = run_python(code, timeout=60, FASTRELU_ISA="auto")
    if rest:
        assert proc.returncode == 0, describe(proc)
        assert proc.stdout.split() == [rest[0], ",".join(b for b in BUILT if b != hidden),
                                       ",".join(rest)]
    else:
        _assert_clean_import_error(proc, "fastrelu")


def test_env_no_build_at_all():
    mods = [f"fastrelu._ufuncs_{isa}" for isa in _dispatch.ISAS]
    proc = run_python(HIDE.format(hidden=mods) + "\n    import fastrelu\n", timeout=60,
                      FASTRELU_ISA="auto")
    _assert_clean_import_error(proc, "fastrelu")
