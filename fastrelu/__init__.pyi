# Type stubs for fastrelu.  Every activation is an np.ufunc; tests/test_typing.py
# checks that this file names exactly the public names of the package.
from contextlib import AbstractContextManager
from typing import IO

import numpy as np
import numpy.typing as npt

__version__: str
ISA: str

relu: np.ufunc
relu_grad: np.ufunc
relu_backward: np.ufunc
relu6: np.ufunc
relu6_grad: np.ufunc
relu6_backward: np.ufunc
leaky_relu: np.ufunc
leaky_relu_grad: np.ufunc
leaky_relu_backward: np.ufunc
prelu: np.ufunc
prelu_grad: np.ufunc
prelu_backward: np.ufunc
elu: np.ufunc
elu_grad: np.ufunc
elu_backward: np.ufunc

def crelu(x: npt.ArrayLike, axis: int = -1,
          out: np.ndarray | None = None) -> np.ndarray: ...
def show_config(file: IO[str] | None = None) -> None: ...
def set_num_threads(n: int) -> None: ...
def get_num_threads() -> int: ...
def num_threads(n: int) -> AbstractContextManager[None]: ...
