"""Build the fastrelu extension: generate the loops from the spec, then cythonize.

The generated ``fastrelu/_ufuncs.pyx`` is a build product (see .gitignore).
Flags: -O3 so the contiguous loops vectorize; never -ffast-math (it would break
the NaN and signed-zero policy) and never -march=native (wheels must run on any
CPU of their platform).
"""
import os
import platform
import sys
import sysconfig

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "fastrelu"))
import _generate  # noqa: E402

if sys.platform == "win32":
    COMPILE_ARGS = ["/O2"]
else:
    COMPILE_ARGS = ["-O3", "-fno-math-errno"]

build_info = {
    "compiler_flags": COMPILE_ARGS,
    "machine": platform.machine(),
    "platform": sysconfig.get_platform(),
    "python": platform.python_version(),
    "numpy_built_against": numpy.__version__,
}

pyx = _generate.render(
    os.path.join("fastrelu", "_ufuncs.pyx.in"),
    os.path.join("fastrelu", "_ufuncs.pyx"),
    module_name="fastrelu._ufuncs",
    build_info=build_info,
)

extensions = [
    Extension(
        "fastrelu._ufuncs",
        [pyx],
        include_dirs=[numpy.get_include(), "fastrelu"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION"),
                       ("NPY_TARGET_VERSION", "NPY_2_0_API_VERSION")],
        extra_compile_args=COMPILE_ARGS,
        libraries=[] if sys.platform == "win32" else ["m"],
    )
]

setup(
    ext_modules=cythonize(extensions, language_level=3,
                          compiler_directives={"embedsignature": False}),
)
