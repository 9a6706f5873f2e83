"""Opt-in threads: set_num_threads, get_num_threads, num_threads, FASTRELU_NUM_THREADS.

Default 1, NumPy's own behaviour.  With n > 1, loops over at least
``PARALLEL_MIN`` contiguous elements are split over n OpenMP threads; smaller
or strided loops stay on the calling thread.  Results are identical to one
thread (each element is computed the same way; only the split differs).

After ``os.fork()`` the child starts with 1 thread: the OpenMP runtime's
thread pool does not survive a fork (GNU libgomp can hang in a child that
enters a parallel region after its parent used one).  Call
``set_num_threads`` in the child to opt in again where the runtime allows it.
"""

import contextlib
import operator
import os

import numpy as np


def _check(n, where):
    from . import _ufuncs

    if isinstance(n, (bool, np.bool_)):  # True would otherwise pass as 1
        raise TypeError(f"fastrelu: {where} must be an integer number of threads, got {n!r}")
    if not isinstance(n, int):
        try:
            n = operator.index(n)
        except TypeError:
            raise TypeError(f"fastrelu: {where} must be an integer number of threads, "
                            f"got {n!r}") from None
    if not 1 <= n <= _ufuncs.MAX_THREADS:
        raise ValueError(f"fastrelu: {where} must be between 1 and {_ufuncs.MAX_THREADS}, "
                         f"got {n}")
    return n


def set_num_threads(n):
    """Use up to ``n`` threads for large contiguous loops (1 = off, the default).

    Without OpenMP in the build (see ``show_config()``) this is accepted and
    everything runs on one thread.
    """
    from . import _ufuncs

    _ufuncs._set_num_threads(_check(n, "set_num_threads(n)"))


def get_num_threads():
    """The thread count set by ``set_num_threads`` (1 when OpenMP is not built in)."""
    from . import _ufuncs

    return _ufuncs._get_num_threads()


@contextlib.contextmanager
def num_threads(n):
    """``with fastrelu.num_threads(2): ...`` sets the thread count for the block.

    The thread count is one process-wide setting (like NumPy's own and BLAS
    settings), not a per-Python-thread one: blocks entered from several
    Python threads at once change the same setting.
    """
    previous = get_num_threads()
    set_num_threads(n)
    try:
        yield
    finally:
        set_num_threads(previous)


def _from_environment():
    value = os.environ.get("FASTRELU_NUM_THREADS")
    if value is None or value.strip() == "":
        return
    try:
        n = int(value.strip())
    except ValueError:
        raise ValueError(f"fastrelu: FASTRELU_NUM_THREADS must be a whole number of threads, "
                         f"got {value!r}") from None
    set_num_threads(_check(n, "FASTRELU_NUM_THREADS"))


def _after_fork_in_child():
    from . import _ufuncs

    _ufuncs._set_num_threads(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
