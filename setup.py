"""Build the fastrelu extension: generate the loops from the spec, then cythonize.

One generated source, built once per instruction set (x86-64: baseline SSE2,
AVX2+FMA, AVX-512; other machines: baseline only) as ``fastrelu._ufuncs_<isa>``;
``fastrelu/_dispatch.py`` imports the best one the CPU runs.  The generated
``fastrelu/_ufuncs_<isa>.pyx`` files are build products (see .gitignore).

Flags: -O3 so the contiguous loops vectorize; never -ffast-math (it would break
the NaN and signed-zero policy) and never -march=native (wheels must run on any
CPU of their platform: the ISA variants use explicit feature flags instead).
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

MSVC = sys.platform == "win32"
# -funroll-loops: the contiguous loops are load/store bound; unrolled, they keep
# more memory operations in flight (measured on AVX2, float32 at 1e5-1e6:
# leaky_relu 1.4-1.8x faster, relu 1.0-1.2x; noisy shared machine)
COMMON_ARGS = ["/O2"] if MSVC else ["-O3", "-fno-math-errno", "-funroll-loops"]

# Per instruction set: compiler flags.  These names are what FASTRELU_ISA takes.
if MSVC:
    ISA_FLAGS = {"baseline": [], "avx2": ["/arch:AVX2"], "avx512": ["/arch:AVX512"]}
else:
    ISA_FLAGS = {
        "baseline": [],
        "avx2": ["-mavx2", "-mfma", "-mf16c"],
        "avx512": ["-mavx512f", "-mavx512cd", "-mavx512bw", "-mavx512dq", "-mavx512vl",
                   "-mavx2", "-mfma", "-mf16c"],
    }



def openmp_flags():
    """(compile, link) flags for OpenMP, or None when the compiler has none.

    fastrelu's threads are opt-in; without OpenMP the package builds and runs
    on one thread.  FASTRELU_OPENMP=0 forces a build without it.
    """
    if os.environ.get("FASTRELU_OPENMP", "1") == "0":
        return None
    if MSVC:
        return ["/openmp"], []
    import shutil
    import subprocess
    import tempfile

    cc = (sysconfig.get_config_var("CC") or "cc").split()
    if shutil.which(cc[0]) is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "omp.c")
        with open(src, "w") as fh:
            fh.write("#include <omp.h>\nint main(void) { return omp_get_max_threads() < 1; }\n")
        try:
            ok = subprocess.run(cc + ["-fopenmp", src, "-o", os.path.join(tmp, "omp")],
                                capture_output=True, timeout=120).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
    return (["-fopenmp"], ["-fopenmp"]) if ok else None


OPENMP = openmp_flags()

machine = platform.machine().lower()
X86_64 = machine in ("x86_64", "amd64", "x64")
# FASTRELU_BUILD_ISAS=baseline (comma list) limits the variants, e.g. for quick local builds
wanted = os.environ.get("FASTRELU_BUILD_ISAS")
isas = ["baseline", "avx2", "avx512"] if X86_64 else ["baseline"]
if wanted:
    isas = [i for i in isas if i in wanted.split(",")] or ["baseline"]

extensions = []
for isa in isas:
    flags = COMMON_ARGS + ISA_FLAGS[isa] + (OPENMP[0] if OPENMP else [])
    build_info = {
        "isa": isa,
        "compiler_flags": flags,
        "openmp": OPENMP is not None,
        "machine": platform.machine(),
        "platform": sysconfig.get_platform(),
        "python": platform.python_version(),
        "numpy_built_against": numpy.__version__,
    }
    pyx = _generate.render(
        os.path.join("fastrelu", "_ufuncs.pyx.in"),
        os.path.join("fastrelu", f"_ufuncs_{isa}.pyx"),
        module_name=f"fastrelu._ufuncs_{isa}",
        build_info=build_info,
    )
    extensions.append(Extension(
        f"fastrelu._ufuncs_{isa}",
        [pyx],
        include_dirs=[numpy.get_include(), "fastrelu"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_2_0_API_VERSION"),
                       ("NPY_TARGET_VERSION", "NPY_2_0_API_VERSION")],
        extra_compile_args=flags,
        extra_link_args=OPENMP[1] if OPENMP else [],
        libraries=[] if MSVC else ["m"],
    ))

setup(
    ext_modules=cythonize(extensions, language_level=3, nthreads=os.cpu_count() or 1,
                          compiler_directives={"embedsignature": False}),
    # the ISA variants are independent: compile them side by side
    options={"build_ext": {"parallel": os.cpu_count() or 1}},
)
