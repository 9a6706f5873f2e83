"""Pick the compiled loops for this CPU, before any ufunc object exists.

The same generated source is built once per instruction set as
``fastrelu._ufuncs_<isa>``.  Importing a module built for an instruction set
the CPU lacks could crash the process (SIGILL), so the CPU is checked first,
with NumPy's own runtime feature detection (which also checks that the OS
saves the wider registers).

``FASTRELU_ISA=baseline|avx2|avx512|auto`` (default auto: the best available)
overrides the choice.  An unknown value, or one this CPU or build cannot run,
is an error at import: silently running another path would make a test or a
benchmark of that path meaningless.
"""

import importlib
import importlib.machinery
import importlib.util
import os
import sys

# best first
ISAS = ("avx512", "avx2", "baseline")

# NumPy feature names each variant's compiler flags assume (see setup.py)
REQUIRED_FEATURES = {
    "baseline": (),
    "avx2": ("AVX2", "FMA3", "F16C"),
    "avx512": ("AVX2", "FMA3", "F16C", "AVX512F", "AVX512CD", "AVX512BW", "AVX512DQ",
               "AVX512VL"),
}


def _cpu_features():
    try:
        from numpy._core._multiarray_umath import __cpu_features__
    except ImportError:  # pragma: no cover - every NumPy 2.x has it
        return {}
    return __cpu_features__


def built():
    """The instruction-set variants present in this installation."""
    return tuple(isa for isa in ISAS
                 if importlib.util.find_spec(f"fastrelu._ufuncs_{isa}") is not None)


def add_installed_build(package_path):
    """Let a source checkout find the compiled loops of the installed copy.

    ``pip install . && python -m fastrelu bench`` run in the checkout puts the
    checkout first on sys.path, so ``fastrelu`` is imported from the source
    folder, which has no compiled modules (pip built them elsewhere).  Then the
    installed package's folder is appended to ``package_path`` (the package's
    ``__path__``), so its ``_ufuncs_<isa>`` modules are found; the pure-Python
    modules stay those of the checkout, which is what was just installed.
    Does nothing when the compiled modules are already importable.
    """
    if built():
        return None
    here = {os.path.realpath(p) for p in package_path}
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    for entry in sys.path:
        candidate = os.path.realpath(os.path.join(entry or os.getcwd(), "fastrelu"))
        if candidate in here or not os.path.isdir(candidate):
            continue
        if any(name.startswith("_ufuncs_") and name.endswith(suffixes)
               for name in os.listdir(candidate)):
            package_path.append(candidate)
            return candidate
    return None


def cpu_supports(isa):
    features = _cpu_features()
    return all(features.get(name, False) for name in REQUIRED_FEATURES[isa])


def available():
    """Variants that are built and that this CPU runs, best first."""
    return tuple(isa for isa in built() if cpu_supports(isa))


def choose(requested=None):
    """The variant to load: FASTRELU_ISA (or ``requested``), else the best available."""
    if requested is None:
        requested = os.environ.get("FASTRELU_ISA", "auto")
    requested = requested.strip().lower()
    runnable = available()
    if requested in ("", "auto"):
        if not runnable:
            raise ImportError("fastrelu: no compiled loops found, neither beside this source "
                              "folder nor in an installed copy; build them with `pip install .` "
                              "(or `pip install -e .` to work in the source tree)")
        return runnable[0]
    if requested not in ISAS:
        raise ValueError(f"fastrelu: FASTRELU_ISA={requested!r} is not one of "
                         f"{', '.join(ISAS + ('auto',))}")
    if requested not in built():
        raise ImportError(f"fastrelu: FASTRELU_ISA={requested!r} but this installation "
                          f"has no {requested} build (built: {', '.join(built()) or 'none'})")
    if not cpu_supports(requested):
        missing = [f for f in REQUIRED_FEATURES[requested] if not _cpu_features().get(f)]
        raise ImportError(f"fastrelu: FASTRELU_ISA={requested!r} but this CPU lacks "
                          f"{', '.join(missing)}; it can run: {', '.join(runnable)}")
    return requested


def load(isa):
    """Import one variant (only call it with an ``available()`` name)."""
    return importlib.import_module(f"fastrelu._ufuncs_{isa}")
