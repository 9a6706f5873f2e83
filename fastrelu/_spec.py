"""The activation registry: one row per activation.

Everything else is derived from these rows: the generated inner loops and ufunc
registration (``_ufuncs.pyx.in``, read at build time by ``setup.py``), the
docstrings, ``show_config()``, the benchmark table and the test matrix.

This module is imported by ``setup.py`` before the package is built, so it must
stay pure Python (no NumPy, no compiled code).

Adding an activation = one row here + a kernel pair (forward, derivative) in
``_kernels.h`` + a hand-written twin in ``_reference.py``.
"""

from dataclasses import dataclass, field

# Loop type characters, in registration order.  NumPy's type resolver picks the
# first loop every input can be cast to safely, so integers come before floats
# (int8 must not fall into the float16 loop) and float16 before float32 (so
# float16 input stays float16).
INT_TYPES = "bBhHiIlLqQ"
FLOAT_TYPES = "efdg"

DIRECTIONS = ("forward", "grad", "backward")


@dataclass(frozen=True)
class Param:
    name: str
    usual: str  # the value frameworks use by default, shown in the docstring
    meaning: str


@dataclass(frozen=True)
class Activation:
    name: str
    kernel: str  # C kernel stem in _kernels.h: fr_<kernel>_fwd_<sfx>, fr_<kernel>_grad_<sfx>
    formula: str
    params: tuple = ()
    int_loops: bool = False  # forward also gets int8..uint64 loops
    piecewise_linear: bool = True  # bit-exact class; otherwise the ULP-bounded class
    # True when every result is an input, a constant or a product with 0/1: such
    # loops can never underflow, so they skip the underflow-flag clean-up
    exact_arithmetic: bool = False
    ulp_bound: float = 0.0  # max error vs correctly rounded, float32/float64 (0 = bit-exact)
    special: str = ""
    derivative: str = ""
    kinks: str = ""
    example: str = ""
    see_also: tuple = field(default_factory=tuple)

    @property
    def param_names(self):
        return tuple(p.name for p in self.params)

    def ufunc_name(self, direction):
        return {"forward": self.name, "grad": self.name + "_grad",
                "backward": self.name + "_backward"}[direction]

    def inputs(self, direction):
        """Input names of the ufunc for ``direction`` (in call order)."""
        lead = ("dy", "x") if direction == "backward" else ("x",)
        return lead + self.param_names

    def types(self, direction):
        """Loop type characters of the ufunc for ``direction``."""
        if direction == "forward" and self.int_loops:
            return INT_TYPES + FLOAT_TYPES
        return FLOAT_TYPES


ACTIVATIONS = (
    Activation(
        name="relu",
        kernel="relu",
        formula="x if x > 0 else +0",
        int_loops=True,
        exact_arithmetic=True,
        special="relu(nan) = nan, relu(-0.0) = +0.0, relu(+inf) = +inf, relu(-inf) = +0.0",
        derivative="1 if x > 0 else 0",
        kinks="relu'(0) = 0",
        example=">>> fastrelu.relu(np.array([-2.0, -0.0, 0.5, np.nan]))\n"
                "array([0. , 0. , 0.5, nan])",
        see_also=("relu6", "leaky_relu", "crelu"),
    ),
    Activation(
        name="relu6",
        kernel="relu6",
        formula="min(max(x, 0), 6)",
        int_loops=True,
        exact_arithmetic=True,
        special="relu6(nan) = nan, relu6(-0.0) = +0.0, relu6(+inf) = 6, relu6(-inf) = +0.0",
        derivative="1 if 0 < x < 6 else 0",
        kinks="relu6'(0) = relu6'(6) = 0",
        example=">>> fastrelu.relu6(np.array([-1.0, 3.0, 7.5]))\narray([0., 3., 6.])",
        see_also=("relu",),
    ),
    Activation(
        name="leaky_relu",
        kernel="leaky_relu",
        formula="x if x >= 0 else alpha * x",
        params=(Param("alpha", "0.01", "slope for x < 0 (any value, also > 1 or < 0)"),),
        special="leaky_relu(nan, a) = nan, leaky_relu(-0.0, a) = -0.0, "
                "leaky_relu(-inf, a) = -inf * a",
        derivative="1 if x > 0 else alpha",
        kinks="leaky_relu'(0) = alpha",
        example=">>> fastrelu.leaky_relu(np.array([-2.0, 3.0], dtype=np.float32), 0.01)\n"
                "array([-0.02,  3.  ], dtype=float32)",
        see_also=("prelu", "relu"),
    ),
    Activation(
        name="prelu",
        kernel="leaky_relu",  # same function as leaky_relu; the weight is usually learned
        formula="x if x >= 0 else weight * x",
        params=(Param("weight", "0.25", "learned slope for x < 0; broadcasts, "
                                        "e.g. one per channel with shape (C, 1, 1)"),),
        special="prelu(nan, w) = nan, prelu(-0.0, w) = -0.0",
        derivative="1 if x > 0 else weight",
        kinks="prelu'(0) = weight",
        example=">>> x = np.array([[-1.0, 2.0], [-3.0, 4.0]])\n"
                ">>> fastrelu.prelu(x, np.array([0.1, 0.2]))   # one weight per column\n"
                "array([[-0.1,  2. ],\n       [-0.3,  4. ]])",
        see_also=("leaky_relu",),
    ),
    Activation(
        name="elu",
        kernel="elu",
        formula="x if x > 0 else alpha * expm1(x)",
        params=(Param("alpha", "1.0", "saturation value for x -> -inf is -alpha"),),
        piecewise_linear=False,
        ulp_bound=1.0,
        special="elu(nan, a) = nan, elu(-0.0, a) = -0.0 (a > 0), elu(-inf, a) = -a, "
                "elu(+inf, a) = +inf",
        derivative="1 if x > 0 else alpha * exp(x)",
        kinks="elu'(0) = alpha",
        example=">>> fastrelu.elu(np.array([-1.0, 0.0, 2.0]), 1.0)\n"
                "array([-0.63212056,  0.        ,  2.        ])",
        see_also=("relu",),
    ),
)

def ufunc_names():
    """Every public ufunc name, in registry order."""
    return [a.ufunc_name(d) for a in ACTIVATIONS for d in DIRECTIONS]


def docstring(act, direction):
    """The ufunc docstring for one (activation, direction)."""
    params = act.params
    if direction == "forward":
        head = f"{act.name}: {act.formula}, elementwise."
    elif direction == "grad":
        head = (f"{act.name}_grad: derivative of {act.name} with respect to x, elementwise: "
                f"{act.derivative}.")
    else:
        head = (f"{act.name}_backward: dy * {act.name}_grad(x"
                + "".join(", " + p.name for p in params)
                + "), fused in one pass (the backward pass of a network layer).")
    lines = [head, ""]
    lines.append("Parameters")
    lines.append("----------")
    if direction == "backward":
        lines.append("dy : array_like")
        lines.append("    Upstream gradient (dLoss/dOutput).")
    lines.append("x : array_like")
    lines.append("    Input of the forward pass (gradients are computed from x, never from "
                 "the output, so an in-place forward does not spoil them).")
    for p in params:
        lines.append(f"{p.name} : array_like, broadcast against x")
        lines.append(f"    {p.meaning[0].upper() + p.meaning[1:]}. Usual value: {p.usual} "
                     "(a ufunc has no default arguments; pass it explicitly).")
    lines.append("out, where, dtype, casting, order : optional")
    lines.append("    The usual NumPy ufunc keywords.")
    lines.append("")
    lines.append("Notes")
    lines.append("-----")
    lines.append("Loops: " + ("int8..uint64, " if direction == "forward" and act.int_loops else "")
                 + "float16 (computed in float32, rounded once), float32, float64, longdouble.")
    lines.append("Python floats are weak scalars (NEP 50): a float32 array stays float32.")
    lines.append("NaN in gives NaN out. Special values: " + act.special + ".")
    lines.append("Derivative at kinks (PyTorch CPU convention): " + act.kinks + ".")
    if direction == "backward":
        lines.append("The result is exactly dy * grad, so dy = inf where grad = 0 gives nan "
                     "with NumPy's usual 'invalid value' warning.")
    if act.see_also:
        lines += ["", "See Also", "--------",
                  ", ".join([act.ufunc_name(d) for d in DIRECTIONS if d != direction]
                            + list(act.see_also))]
    if act.example and direction == "forward":
        lines += ["", "Examples", "--------", ">>> import numpy as np, fastrelu", act.example]
    return "\n".join(lines)
