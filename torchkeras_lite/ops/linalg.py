"""`keras.ops.linalg`: linear algebra on (batches of) matrices in the last two axes.

Integer inputs are computed in `floatx()`.

Example:
    >>> keras.ops.linalg.solve(np.eye(2), np.array([[1.0], [2.0]]))
    tensor([[1.],
            [2.]])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from torchkeras_lite.ops.dtype_rules import result_type
from torchkeras_lite.ops.tensor_utils import binary, convert, to_float, torch_dtype

__all__ = [
    "cholesky",
    "cholesky_inverse",
    "det",
    "eig",
    "eigh",
    "inv",
    "jvp",
    "lstsq",
    "lu_factor",
    "matrix_rank",
    "norm",
    "pinv",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
]


def _float(x: Any) -> torch.Tensor:
    return to_float(convert(x))


def _square(x: torch.Tensor, name: str) -> torch.Tensor:
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(
            f"`{name}` expects square matrices in the last two axes. Received: x.shape={tuple(x.shape)}"
        )
    return x


def cholesky(x: Any, upper: bool = False) -> torch.Tensor:
    """The Cholesky factor of symmetric positive-definite matrices (lower unless `upper`)."""
    return torch.linalg.cholesky(_square(_float(x), "cholesky"), upper=upper)


def cholesky_inverse(x: Any, upper: bool = False) -> torch.Tensor:
    """The inverse of `A` from its Cholesky factor `x`."""
    return torch.cholesky_inverse(_square(_float(x), "cholesky_inverse"), upper=upper)


def det(x: Any) -> torch.Tensor:
    """The determinant."""
    return torch.linalg.det(_square(_float(x), "det"))


def eig(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The (complex) eigenvalues and eigenvectors of general square matrices."""
    return tuple(torch.linalg.eig(_square(_float(x), "eig")))


def eigh(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The eigenvalues (ascending) and eigenvectors of symmetric/Hermitian matrices."""
    return tuple(torch.linalg.eigh(_square(_float(x), "eigh")))


def inv(x: Any) -> torch.Tensor:
    """The matrix inverse."""
    return torch.linalg.inv(_square(_float(x), "inv"))


def lu_factor(x: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The packed LU factorization and the (0-based) pivot indices."""
    lu, pivots = torch.linalg.lu_factor(_float(x))
    return lu, pivots - 1


def norm(x: Any, ord=None, axis: int | Sequence[int] | None = None, keepdims: bool = False):
    """Vector norms (`axis` an int or None on 1-D input) or matrix norms (`axis` a pair).

    `ord` as in `numpy.linalg.norm`: None (2-norm / Frobenius), "fro", "nuc", inf, -inf, or a number.
    """
    x = convert(x)
    dtype = "float32" if x.dtype == torch.int64 else result_type(x.dtype, float)
    x = x.to(torch_dtype(dtype))
    dim = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    return torch.linalg.norm(x, ord=ord, dim=dim, keepdim=keepdims)


def qr(x: Any, mode: str = "reduced") -> tuple[torch.Tensor, torch.Tensor]:
    """The QR decomposition `(q, r)`; `mode` "reduced" or "complete"."""
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be one of 'reduced', 'complete'. Received: mode={mode!r}")
    return tuple(torch.linalg.qr(_float(x), mode=mode))


def solve(a: Any, b: Any) -> torch.Tensor:
    """The solution `x` of `a @ x = b`."""
    a, b = binary(a, b)
    return torch.linalg.solve(_square(to_float(a), "solve"), to_float(b))


def solve_triangular(a: Any, b: Any, lower: bool = False) -> torch.Tensor:
    """The solution of `a @ x = b` for triangular `a` (upper unless `lower`)."""
    a, b = binary(a, b)
    a, b = to_float(a), to_float(b)
    vector = b.ndim == a.ndim - 1
    out = torch.linalg.solve_triangular(a, b.unsqueeze(-1) if vector else b, upper=not lower)
    return out.squeeze(-1) if vector else out


def svd(x: Any, full_matrices: bool = True, compute_uv: bool = True):
    """The singular value decomposition `(u, s, vh)`, or only `s` when not `compute_uv`."""
    x = _float(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return tuple(torch.linalg.svd(x, full_matrices=full_matrices))


def lstsq(a: Any, b: Any, rcond: float | None = None) -> torch.Tensor:
    """The least-squares solution of `a @ x = b`."""
    a, b = binary(a, b)
    a, b = to_float(a), to_float(b)
    vector = b.ndim == 1
    b2 = b.unsqueeze(-1) if vector else b
    if a.is_cuda:
        out = torch.linalg.pinv(a, rtol=rcond) @ b2
    else:
        out = torch.linalg.lstsq(a, b2, rcond=rcond, driver="gelsd").solution
    return out.squeeze(-1) if vector else out


def matrix_rank(x: Any, tol: float | None = None) -> torch.Tensor:
    """The int32 rank (number of singular values above `tol`)."""
    return torch.linalg.matrix_rank(_float(x), atol=tol).to(torch.int32)


def pinv(x: Any, rcond: float | None = None) -> torch.Tensor:
    """The Moore-Penrose pseudo-inverse."""
    return torch.linalg.pinv(_float(x), rtol=rcond)


def jvp(fun: Callable, primals: Sequence, tangents: Sequence, has_aux: bool = False):
    """Forward-mode Jacobian-vector product: `(fun(*primals), J @ tangents)` (plus aux)."""
    return torch.func.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
