"""fastrelu: the ReLU family of activation functions as compiled NumPy ufuncs.

Every activation ``f`` comes as three ufuncs: ``f(x, ...)``, its derivative
``f_grad(x, ...)`` and the fused backward pass ``f_backward(dy, x, ...)``.
Parameters (``alpha``, ``weight``) are ufunc inputs, so they broadcast.
``crelu`` is the one non-elementwise function (it doubles an axis).
"""

from . import _dispatch, _spec

# Imported from a source checkout (python -m fastrelu in the checkout): use the
# compiled loops of the installed copy.
_dispatch.add_installed_build(__path__)

# The compiled loops for this CPU (FASTRELU_ISA overrides); chosen before any
# ufunc object exists.  Everything in the package uses this one module.
ISA = _dispatch.choose()
_ufuncs = _dispatch.load(ISA)

from ._crelu import crelu  # noqa: E402  (uses _ufuncs)
from ._threads import get_num_threads, num_threads, set_num_threads  # noqa: E402
from ._threads import _from_environment as _threads_from_environment  # noqa: E402

_threads_from_environment()

__version__ = "0.1.0"

__all__ = _spec.ufunc_names() + ["crelu", "show_config", "__version__", "ISA",
                                 "set_num_threads", "get_num_threads", "num_threads"]


def _export():
    for name in _spec.ufunc_names():
        uf = _ufuncs.UFUNCS[name]
        # pickle looks a ufunc up as <__module__>.<__name__>: point it here.
        # NumPy < 2.1 ufuncs have no writable __module__; pickle then finds
        # the ufunc by scanning sys.modules, which works too, only slower.
        try:
            uf.__module__ = __name__
        except AttributeError:
            pass
        globals()[name] = uf


_export()
del _export


def show_config(file=None):
    """Print versions, build flags and the loops of every function."""
    import platform
    import sys

    import numpy as np

    info = _ufuncs.BUILD_INFO
    lines = [
        f"fastrelu {__version__}",
        f"  python {platform.python_version()}, numpy {np.__version__} "
        f"(built against {info['numpy_built_against']})",
        f"  platform {info['platform']} ({info['machine']})",
        f"  instruction set: {ISA} (available on this CPU: "
        f"{', '.join(_dispatch.available())}; built: {', '.join(_dispatch.built())}; "
        "FASTRELU_ISA overrides)",
        f"  compiler flags: {' '.join(info['compiler_flags'])}",
        f"  threads: {get_num_threads()} (OpenMP "
        + ("built in; loops of at least "
           f"{_ufuncs.PARALLEL_MIN} contiguous elements split)" if _ufuncs.HAVE_OPENMP
           else "not available in this build: always 1)"),
        "  loops:",
    ]
    for name in _spec.ufunc_names():
        # dict keeps order and drops repeats ('l' and 'q' are both int64 on Linux)
        types = ", ".join(dict.fromkeys(np.dtype(t).name for t in _ufuncs.LOOP_TYPES[name]))
        lines.append(f"    {name:22s} {types}")
    print("\n".join(lines), file=file if file is not None else sys.stdout)
