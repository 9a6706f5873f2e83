"""The machinery of ``python -m fastrelu bench`` (fastrelu/_bench.py).

Runs at a tiny size in-process.  No timing thresholds: speed claims never go in
unit tests, only "every row was measured and gave a finite positive ratio".
"""

import json
import math

import numpy as np
import pytest

from fastrelu import _bench, _spec
from fastrelu.__main__ import main as cli_main


def _required_ufuncs():
    return {a.ufunc_name(d) for a in _spec.ACTIVATIONS for d in _bench.REQUIRED_DIRECTIONS}


def _run_json(capsys, *argv):
    code = _bench.main(["--quick", "--sizes", "1000", "--json", *argv])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def test_json_has_every_forward_and_backward_row(capsys):
    code, result, progress = _run_json(capsys)
    assert code == 0, progress
    rows = {r["ufunc"]: r for r in result["rows"]}
    assert _required_ufuncs() <= set(rows)
    assert result["mismatches"] == 0
    assert result["sizes"] == [1000]
    assert result["dtypes"] == ["float32", "float64"]
    for name, r in rows.items():
        assert isinstance(r["expression"], str) and r["expression"].strip(), name
        assert r["expressions"] and all(e in progress for e in r["expressions"])  # table too
        assert len(r["cells"]) == 2
        for cell in r["cells"]:
            assert cell["status"] == "ok", (name, cell)
            assert math.isfinite(cell["ratio"]) and cell["ratio"] > 0, (name, cell)
            assert cell["numpy_s"] > 0 and cell["fastrelu_s"] > 0
    env = result["environment"]
    assert env["numpy"] == np.__version__
    assert env["fastrelu"]


def test_filters(capsys):
    code, result, _ = _run_json(capsys, "--functions", "relu", "elu_backward",
                                "--dtypes", "float32", "--repeat", "1")
    assert code == 0
    names = [r["ufunc"] for r in result["rows"]]
    assert names == ["relu", "relu_grad", "relu_backward", "elu_backward"]
    assert all(len(r["cells"]) == 1 for r in result["rows"])

    code, result, _ = _run_json(capsys, "--functions", "relu", "--directions", "forward")
    assert [r["ufunc"] for r in result["rows"]] == ["relu"]

    with pytest.raises(SystemExit):
        _bench.main(["--quick", "--functions", "no_such_function"])


def test_human_table_prints_rows(capsys):
    assert _bench.main(["--quick", "--sizes", "1000", "--functions", "relu6",
                        "--directions", "forward", "backward"]) == 0
    out = capsys.readouterr().out
    assert "1e3 f32" in out and "1e3 f64" in out
    assert "numpy " + np.__version__ in out
    lines = out.splitlines()
    i = next(i for i, s in enumerate(lines) if s.startswith("relu6 "))
    assert lines[i].count("x ") == 2  # two ratio cells
    first, second = (e.text for e in _bench.BASELINES["relu6"].expressions)
    assert lines[i].endswith("a: " + first)
    assert lines[i + 1].strip() == "b: " + second  # further candidates below
    assert next(s for s in lines if s.startswith("relu6_backward ")).endswith(
        _bench.BASELINES["relu6_backward"].expr)


def test_candidates_are_named_per_cell(capsys):
    code, result, progress = _run_json(capsys, "--functions", "relu", "--directions", "forward")
    assert code == 0
    (row,) = result["rows"]
    assert row["expressions"] == [e.text for e in _bench.BASELINES["relu"].expressions]
    assert len(row["expressions"]) > 1
    for cell in row["cells"]:
        assert cell["candidate"] in "ab"
        assert cell["expression"] == row["expressions"]["ab".index(cell["candidate"])]
    assert "b: " + row["expressions"][1] in progress


def test_missing_baseline_fails_loudly(monkeypatch):
    monkeypatch.delitem(_bench.BASELINES, "relu_backward")
    with pytest.raises(KeyError, match="relu_backward.*_bench.py"):
        _bench.all_rows()


def test_wrong_baseline_is_a_mismatch_not_a_ratio(monkeypatch, capsys):
    def make(dt):
        def f(x, o):
            np.maximum(x, dt.type(-1), out=o)  # not relu
        return f

    wrong = _bench.Baseline("relu", ("x",), [_bench.Expression("wrong", make)])
    monkeypatch.setitem(_bench.BASELINES, "relu", wrong)
    code, result, progress = _run_json(capsys, "--functions", "relu", "--directions", "forward")
    assert code == 1
    cells = result["rows"][0]["cells"]
    assert all(c["status"] == "mismatch" and c["ratio"] is None for c in cells)
    assert "MISMATCH" in progress


class _Spy(np.ndarray):
    """Records the dtypes every ufunc sees (to catch silent float64 promotion)."""
    seen = []

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [i.view(np.ndarray) if isinstance(i, _Spy) else i for i in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, _Spy) else o
                                  for o in kwargs["out"])
        _Spy.seen.append((ufunc.__name__, [getattr(i, "dtype", type(i)) for i in plain]))
        return getattr(ufunc, method)(*plain, **kwargs)


_EXPRESSIONS = [(r.ufunc, i) for r in _bench.all_rows() for i in range(len(r.baseline.expressions))]


@pytest.mark.parametrize("name, index", _EXPRESSIONS)
def test_baseline_stays_in_float32(name, index):
    """Constants and parameters are x.dtype scalars: nothing becomes float64."""
    case = _bench.make_case(name, "float32", 64)
    args = [a.view(_Spy) if isinstance(a, np.ndarray) else a for a in case.args]
    for a in args:
        assert a.dtype == np.float32
    out = np.empty(64, np.float32).view(_Spy)
    _Spy.seen = []
    case.row.baseline.expressions[index].make(np.dtype(np.float32))(*args, out)
    assert _Spy.seen, "the baseline called no ufunc on the inputs"
    for ufunc, dtypes in _Spy.seen:
        assert np.dtype(np.float64) not in dtypes, (ufunc, dtypes)


def test_cli(capsys):
    assert cli_main(["info"]) == 0
    assert "numpy" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        cli_main(["bench", "--help"])
    assert exc.value.code == 0
    assert "--json" in capsys.readouterr().out
    assert cli_main(["bench", "--quick", "--sizes", "1000", "--functions", "relu",
                     "--directions", "forward"]) == 0
    assert "relu" in capsys.readouterr().out
