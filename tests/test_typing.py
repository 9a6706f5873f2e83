"""The type stubs name the package's public names, and a typed program passes mypy."""
import ast
import os
import subprocess
import sys
import sysconfig

import numpy as np
import pytest

import fastrelu

HERE = os.path.dirname(os.path.abspath(__file__))
STUB = os.path.join(os.path.dirname(os.path.abspath(fastrelu.__file__)), "__init__.pyi")
EXAMPLE = os.path.join(HERE, os.pardir, "examples", "typed_usage.py")


def _stub_names():
    with open(STUB) as fh:
        tree = ast.parse(fh.read())
    names = set()
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def test_installed_with_stub_and_marker():
    assert os.path.exists(STUB)
    assert os.path.exists(os.path.join(os.path.dirname(STUB), "py.typed"))


def test_stub_names_match_public_names():
    assert _stub_names() == set(fastrelu.__all__)


def test_ufuncs_are_typed_as_ufunc():
    with open(STUB) as fh:
        tree = ast.parse(fh.read())
    typed = {n.target.id: ast.unparse(n.annotation) for n in tree.body
             if isinstance(n, ast.AnnAssign)}
    for name in fastrelu.__all__:
        if isinstance(getattr(fastrelu, name), np.ufunc):
            assert typed[name] == "np.ufunc", name


def test_example_runs():
    out = subprocess.run([sys.executable, EXAMPLE], capture_output=True, text=True,
                         timeout=120, cwd=HERE)
    assert out.returncode == 0, out.stderr


def test_mypy_accepts_the_example():
    pytest.importorskip("mypy", reason="mypy is in the test extra; install it to check types")
    env = dict(os.environ)
    package_parent = os.path.dirname(os.path.dirname(STUB))
    site = {os.path.realpath(p) for p in sysconfig.get_paths().values()}
    if os.path.realpath(package_parent) not in site:
        # an editable install: point mypy at the source tree (it cannot follow
        # setuptools' import hook); for a regular install it finds site-packages
        env["MYPYPATH"] = package_parent
    out = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental",
                          EXAMPLE], capture_output=True, text=True, timeout=300, cwd=HERE,
                         env=env)
    assert out.returncode == 0, out.stdout + out.stderr
