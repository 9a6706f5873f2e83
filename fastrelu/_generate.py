"""Build-time generator: spec rows -> Cython source of every loop and ufunc.

``setup.py`` calls :func:`render` before cythonizing.  It feeds the registry of
``_spec.py`` through the Tempita template ``_ufuncs.pyx.in``; the output
(``_ufuncs.pyx``) is a build product and is not committed.

This file only describes, per loop, *what* to compute (C expressions built
from the kernel names); the template decides *how* to iterate (contiguous,
in-place, scalar-parameter and strided branches).  Pure Python: it runs before
NumPy or the extension are importable.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import _spec  # noqa: E402  (imported by path: the package itself is not built yet)

# type char -> (storage C type, compute C type, kernel suffix, NumPy type enum)
TYPE_TABLE = {
    "b": ("signed char", "signed char", "b", "NPY_BYTE"),
    "B": ("unsigned char", "unsigned char", "B", "NPY_UBYTE"),
    "h": ("short", "short", "h", "NPY_SHORT"),
    "H": ("unsigned short", "unsigned short", "H", "NPY_USHORT"),
    "i": ("int", "int", "i", "NPY_INT"),
    "I": ("unsigned int", "unsigned int", "I", "NPY_UINT"),
    "l": ("long", "long", "l", "NPY_LONG"),
    "L": ("unsigned long", "unsigned long", "L", "NPY_ULONG"),
    "q": ("long long", "long long", "q", "NPY_LONGLONG"),
    "Q": ("unsigned long long", "unsigned long long", "Q", "NPY_ULONGLONG"),
    # float16 is stored as its bit pattern and computed in float32
    "e": ("npy_uint16", "float", "f", "NPY_HALF"),
    "f": ("float", "float", "f", "NPY_FLOAT"),
    "d": ("double", "double", "d", "NPY_DOUBLE"),
    "g": ("long double", "long double", "g", "NPY_LONGDOUBLE"),
}


class _Parts:
    def __init__(self, **kw):
        self.__dict__.update(kw)


class Loop:
    """One inner loop: a (ufunc, type char) pair."""

    def __init__(self, act, direction, tchar):
        self.act = act
        self.direction = direction
        self.tchar = tchar
        self.ufunc = act.ufunc_name(direction)
        self.cname = f"loop_{self.ufunc}_{tchar}"
        self.storage, self.compute, sfx, _ = TYPE_TABLE[tchar]
        self.nin = len(act.inputs(direction))
        # data operands vary along the loop; parameters are often broadcast scalars
        self.ndata = 2 if direction == "backward" else 1
        self.data = list(range(self.ndata))
        self.params = list(range(self.ndata, self.nin))
        self._sfx = sfx
        self._half = tchar == "e"

    def load(self, ref):
        return f"fr_half_to_float({ref})" if self._half else ref

    def store(self, expr):
        return f"fr_float_to_half({expr})" if self._half else expr

    def code_parts(self):
        """The C fragments the template's loop shape is filled with."""
        st, n = self.storage, self.nin

        def elem(k, index):
            return self.load(f"(<{st}*>a{k})[{index}]")

        scalar_vals = [elem(k, "i") if k in self.data else f"p{k}" for k in range(n)]
        inplace_vals = [self.load("o[i]")] + scalar_vals[1:]
        return _Parts(
            contig=" and ".join([f"s{k} == sizeof({st})" for k in self.data]
                                + [f"so == sizeof({st})"]),
            params_scalar=" and ".join(f"s{k} == 0" for k in self.params) or "True",
            params_contig=" and ".join(f"s{k} == sizeof({st})" for k in self.params) or "False",
            out_distinct=" and ".join(f"ao != a{k}" for k in range(n)),
            inplace_ok=" and ".join(["ao == a0"] + [f"ao != a{k}" for k in self.data[1:]]),
            param_loads={k: elem(k, 0) for k in self.params},
            inplace_expr=self.expr(inplace_vals),
            scalar_expr=self.expr(scalar_vals),
            param_array_expr=self.expr([elem(k, "i") for k in range(n)]),
            strided_expr=self.expr([elem(k, 0) for k in range(n)]),
            # see fr_clear_underflow in _kernels.h
            epilogue=("pass" if self.act.exact_arithmetic or self.tchar in _spec.INT_TYPES
                      else "fr_clear_underflow()"),
        )

    def expr(self, values):
        """C expression (compute type) for the result from the input values."""
        k = self.act.kernel
        if self.direction == "forward":
            return f"fr_{k}_fwd_{self._sfx}({', '.join(values)})"
        grad = f"fr_{k}_grad_{self._sfx}({', '.join(values[self.ndata - 1:])})"
        if self.direction == "grad":
            return grad
        return f"{values[0]} * {grad}"  # backward: exactly dy * grad


def kernel_declarations():
    """(C return/arg type, kernel name, arity) for every kernel the loops call."""
    decls = set()
    for act in _spec.ACTIVATIONS:
        arity = 1 + len(act.params)
        for d in _spec.DIRECTIONS:
            for t in act.types(d):
                _, ctype, sfx, _ = TYPE_TABLE[t]
                which = "fwd" if d == "forward" else "grad"
                decls.add((ctype, f"fr_{act.kernel}_{which}_{sfx}", arity))
    return sorted(decls, key=lambda x: x[1])


def ufuncs():
    """(activation, direction, ufunc name, [Loop...]) in registry order."""
    out = []
    for act in _spec.ACTIVATIONS:
        for d in _spec.DIRECTIONS:
            loops = [Loop(act, d, t) for t in act.types(d)]
            out.append((act, d, act.ufunc_name(d), loops))
    return out


def render(template_path, out_path, module_name, build_info):
    from Cython import Tempita

    with open(template_path) as fh:
        template = Tempita.Template(fh.read(), name=template_path)
    text = template.substitute(
        module_name=module_name,
        kernels=kernel_declarations(),
        ufuncs=ufuncs(),
        type_table=TYPE_TABLE,
        docstring=_spec.docstring,
        build_info=build_info,
        spec=_spec,
    )
    # only rewrite when changed, so rebuilds stay incremental
    old = None
    if os.path.exists(out_path):
        with open(out_path) as fh:
            old = fh.read()
    if old != text:
        with open(out_path, "w") as fh:
            fh.write(text)
    return out_path
