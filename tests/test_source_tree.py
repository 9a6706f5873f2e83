"""`pip install . && python -m fastrelu bench` run inside the source checkout.

`python -m` puts the current folder first on sys.path, so the package is then
imported from the checkout, which has no compiled modules: fastrelu must find
those of the installed copy (fastrelu._dispatch.add_installed_build).
"""
import os
import shutil
import subprocess
import sys
import sysconfig

import pytest

import fastrelu

INSTALLED = os.path.dirname(os.path.abspath(fastrelu.__file__))
SITE = {os.path.realpath(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}


def _is_regular_install():
    return os.path.realpath(os.path.dirname(INSTALLED)) in SITE


@pytest.mark.skipif(not _is_regular_install(),
                    reason="fastrelu is not installed in site-packages (an editable or "
                           "in-place build already has its compiled modules in the tree)")
def test_python_m_from_a_source_checkout(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "fastrelu").mkdir(parents=True)
    for name in os.listdir(INSTALLED):  # the pure-Python part only, as in a checkout
        if name.endswith(".py"):
            shutil.copy(os.path.join(INSTALLED, name), checkout / "fastrelu" / name)
    code = ("import fastrelu, numpy as np; "
            "assert fastrelu.__file__.startswith(%r), fastrelu.__file__; "
            "print(fastrelu.ISA, fastrelu.relu(np.array([-1.0, 2.0])).tolist())"
            % str(checkout))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, "-c", code], cwd=checkout, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[1:] == ["[0.0,", "2.0]"], out.stdout
    info = subprocess.run([sys.executable, "-m", "fastrelu", "info"], cwd=checkout, env=env,
                          capture_output=True, text=True, timeout=120)
    assert info.returncode == 0, info.stderr
    assert "instruction set" in info.stdout
