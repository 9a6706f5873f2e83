"""A small typed program using fastrelu; CI type-checks it with mypy."""
import numpy as np
import numpy.typing as npt

import fastrelu


def layer(x: npt.NDArray[np.float32], w: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    h = x @ w
    fastrelu.leaky_relu(h, np.float32(0.01), out=h)
    return h


def backward(dy: npt.NDArray[np.float32], h: npt.NDArray[np.float32]) -> np.ndarray:
    dx: np.ndarray = fastrelu.leaky_relu_backward(dy, h, np.float32(0.01))
    return dx


def main() -> None:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 8), dtype=np.float32)
    w = rng.standard_normal((8, 3), dtype=np.float32)
    h = layer(x, w)
    g = backward(np.ones_like(h), h)
    pair: np.ndarray = fastrelu.crelu(h, axis=1)
    with fastrelu.num_threads(1):
        assert fastrelu.get_num_threads() == 1
    assert isinstance(fastrelu.relu, np.ufunc)
    print(h.shape, g.dtype, pair.shape, fastrelu.ISA)


if __name__ == "__main__":
    main()
