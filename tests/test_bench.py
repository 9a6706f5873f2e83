"""The machinery of ``python -m fastrelu bench`` (fastrelu/_bench.py).

Runs at a tiny size in-process.  No timing thresholds: speed claims never go in
unit tests, only "every row was measured and gave a finite positive ratio".
"""

import json
import math
import sys

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


# -- --vs torch, --threads, the copy reference, strided cases ------------------

def _torch_or_skip():
    try:
        return _bench.import_torch()
    except _bench.TorchUnavailable:
        pytest.skip("torch is not installed (optional, absent in CI): the --vs torch "
                    "figures are checked locally only, where torch is installed")


@pytest.mark.parametrize("entry", ["bench_main", "cli"])
def test_vs_torch_without_torch_exits_2_with_one_line(monkeypatch, capsys, entry):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    argv = ["--quick", "--sizes", "1000", "--functions", "relu", "--vs", "torch"]
    with pytest.raises(SystemExit) as exc:
        if entry == "cli":
            cli_main(["bench", *argv])
        else:
            _bench.main(argv)
    assert exc.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""  # nothing measured, no table started
    err = captured.err.strip()
    assert len(err.splitlines()) == 1, err
    assert "--vs torch" in err and "PyTorch" in err and "CPU build of PyTorch" in err
    assert "Traceback" not in err


def test_unknown_vs_is_refused():
    with pytest.raises(SystemExit, match="--vs tensorflow"):
        _bench.main(["--quick", "--vs", "tensorflow"])


def test_torch_ops_name_real_ufuncs():
    rows = {r.ufunc: r for r in _bench.all_rows()}
    for name, ops in _bench.TORCH_OPS.items():
        assert name in rows and rows[name].direction != "grad", name
        assert ops.expressions
        assert set(ops.tensor_params) <= set(rows[name].inputs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_torch_ops_agree_with_fastrelu(dtype):
    torch = _torch_or_skip()
    for name in _bench.TORCH_OPS:
        case = _bench.make_case(name, dtype, 257)
        assert _bench.check_case(case)[0], name
        tcase = _bench.make_torch_case(case, torch)
        assert _bench.check_torch_case(tcase, case), (name, tcase.max_abs_diff)
        assert tcase.status == "ok"
    case = _bench.make_case("relu", "longdouble", 8)
    assert _bench.make_torch_case(case, torch).status == "unsupported"


def test_vs_torch_json(capsys):
    torch = _torch_or_skip()
    threads_before = torch.get_num_threads()
    code, result, progress = _run_json(capsys, "--vs", "torch", "--dtypes", "float32")
    assert code == 0, progress
    assert torch.get_num_threads() == threads_before  # restored
    assert result["torch"]["version"] == torch.__version__
    assert result["torch"]["threads"] == 1 and result["threads"]["torch"] == 1
    assert result["environment"]["torch"] == torch.__version__
    assert result["torch_mismatches"] == 0
    rows = {r["ufunc"]: r for r in result["rows"]}
    assert set(_bench.TORCH_OPS) <= set(rows)
    for name, r in rows.items():
        (cell,) = r["cells"]
        if name in _bench.TORCH_OPS:
            assert r["torch_expressions"] == [e.text for e in _bench.TORCH_OPS[name].expressions]
            assert cell["torch_status"] == "ok", (name, cell)
            assert math.isfinite(cell["torch_ratio"]) and cell["torch_ratio"] > 0, (name, cell)
            assert cell["torch_s"] > 0
            assert cell["torch_expression"] in r["torch_expressions"]
        else:
            assert r["direction"] == "grad" and r["torch_expressions"] is None
            assert "torch_ratio" not in cell
    for r in rows.values():
        if r["direction"] == "forward":
            assert math.isfinite(r["cells"][0]["torch_ratio"])
    assert "vs PyTorch " + torch.__version__ in progress
    assert "torch.clamp_min(x, 0, out=o)" in progress


def test_threads_2_runs(capsys):
    import fastrelu

    before = fastrelu.get_num_threads()
    code = _bench.main(["--quick", "--threads", "2", "--sizes", "70000", "--dtypes", "float32",
                        "--functions", "relu", "elu", "--directions", "forward", "backward",
                        "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert fastrelu.get_num_threads() == before
    result = json.loads(captured.out)
    assert result["threads"] == {"fastrelu": 2, "numpy": 1, "torch": None}
    assert "threads: fastrelu " in captured.err
    for r in result["rows"]:
        for cell in r["cells"]:
            assert cell["status"] == "ok" and math.isfinite(cell["ratio"]), (r["ufunc"], cell)
    with pytest.raises(SystemExit, match="--threads"):
        _bench.main(["--quick", "--threads", "0"])


def test_copy_reference(capsys):
    code, result, progress = _run_json(capsys, "--functions", "relu", "--directions", "forward")
    assert code == 0
    assert result["copy"]["expression"] == "np.copyto(o, x)"
    for cell in result["rows"][0]["cells"]:
        assert cell["copy_s"] > 0
        assert cell["fastrelu_over_copy"] == pytest.approx(cell["fastrelu_s"] / cell["copy_s"])
    assert "time(np.copyto(o, x))" in progress
    lines = progress.splitlines()
    i = next(i for i, s in enumerate(lines) if s.startswith("np.copyto(o, x) "))
    assert lines[i + 1].startswith("relu ") and lines[i + 1].count("x") == 2

    code, result, progress = _run_json(capsys, "--functions", "relu", "--directions", "forward",
                                       "--no-copy")
    assert code == 0 and result["copy"] is None
    assert "copy_s" not in result["rows"][0]["cells"][0]
    assert "np.copyto" not in progress


@pytest.mark.parametrize("name", [r.ufunc for r in _bench.all_rows()])
def test_strided_case(name):
    case = _bench.make_case(name, "float32", 100, stride=2)
    dense = _bench.make_case(name, "float32", 100)
    for a, b in zip(case.args, dense.args):
        if isinstance(a, np.ndarray):
            assert a.strides == (8,) and np.array_equal(a, b)
    assert case.out_fastrelu.strides == (8,)
    ok, _ = _bench.check_case(case)
    assert ok
    _bench.check_case(dense)
    np.testing.assert_array_equal(case.out_fastrelu, dense.out_fastrelu)
