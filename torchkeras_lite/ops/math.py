"""`keras.ops` math functions: segment reductions, top-k, logsumexp, FFTs and STFT, special functions.

Complex results follow Keras' convention: a `(real, imag)` pair of float tensors.

Example:
    >>> keras.ops.segment_sum(np.array([1, 2, 10, 20]), np.array([0, 0, 1, 1]))
    tensor([ 3, 30], dtype=torch.int32)
"""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite.ops.np_unary import erf, erfc, erfinv, rsqrt
from torchkeras_lite.ops.tensor_utils import axes, binary, convert, to_float

__all__ = [
    "cdist",
    "erf",
    "erfc",
    "erfinv",
    "extract_sequences",
    "fft",
    "fft2",
    "ifft2",
    "in_top_k",
    "irfft",
    "istft",
    "logdet",
    "logsumexp",
    "rfft",
    "rsqrt",
    "segment_max",
    "segment_min",
    "segment_prod",
    "segment_sum",
    "stft",
    "top_k",
    "view_as_complex",
    "view_as_real",
]


def _segment(data: Any, segment_ids: Any, num_segments: int | None, reduce: str) -> torch.Tensor:
    data = convert(data)
    ids = convert(segment_ids, device=data.device).long()
    if ids.ndim > data.ndim or tuple(ids.shape) != tuple(data.shape[: ids.ndim]):
        raise ValueError(
            "`segment_ids` must have the shape of the leading axes of `data`. "
            f"Received: data.shape={tuple(data.shape)}, segment_ids.shape={tuple(ids.shape)}"
        )
    n = int(ids.max()) + 1 if num_segments is None else int(num_segments)
    ids = ids.reshape(-1)
    rows = data.reshape(ids.shape[0], *data.shape[ids.ndim :])
    ids = torch.where((ids >= 0) & (ids < n), ids, n)  # out-of-range rows go to a dropped bucket
    index = ids.reshape(-1, *([1] * (rows.ndim - 1))).expand_as(rows)
    start = {"sum": 0, "prod": 1}.get(reduce)
    if start is None:
        info = torch.finfo if data.is_floating_point() else torch.iinfo
        start = info(data.dtype).min if reduce == "amax" else info(data.dtype).max
        if data.is_floating_point():
            start = float("-inf") if reduce == "amax" else float("inf")
    out = torch.full((n + 1, *rows.shape[1:]), start, dtype=data.dtype, device=data.device)
    return out.scatter_reduce(0, index, rows, reduce=reduce, include_self=True)[:-1]


def segment_sum(data: Any, segment_ids: Any, num_segments: int | None = None, sorted=False):
    """The sum of `data`'s rows per segment id (ids outside `[0, num_segments)` are dropped)."""
    return _segment(data, segment_ids, num_segments, "sum")


def segment_max(data: Any, segment_ids: Any, num_segments: int | None = None, sorted=False):
    """The maximum of `data`'s rows per segment id (-inf for empty float segments)."""
    return _segment(data, segment_ids, num_segments, "amax")


def segment_min(data: Any, segment_ids: Any, num_segments: int | None = None, sorted=False):
    """The minimum of `data`'s rows per segment id (+inf for empty float segments)."""
    return _segment(data, segment_ids, num_segments, "amin")


def segment_prod(data: Any, segment_ids: Any, num_segments: int | None = None, sorted=False):
    """The product of `data`'s rows per segment id (1 for empty segments)."""
    return _segment(data, segment_ids, num_segments, "prod")


def top_k(x: Any, k: int, sorted: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """The `k` largest values along the last axis and their (int64) indices."""
    values, indices = torch.topk(convert(x), k, sorted=sorted)
    return values, indices


def in_top_k(targets: Any, predictions: Any, k: int) -> torch.Tensor:
    """Whether each target class is among the `k` highest predictions (ties count as in)."""
    predictions = convert(predictions)
    targets = convert(targets, device=predictions.device).long()
    kth = torch.topk(predictions, k, dim=-1).values[..., -1:]
    target_scores = torch.take_along_dim(predictions, targets[:, None], dim=-1)
    return (target_scores >= kth).squeeze(-1)


def logsumexp(x: Any, axis=None, keepdims: bool = False) -> torch.Tensor:
    """`log(sum(exp(x)))` over `axis`, computed stably."""
    x = to_float(convert(x))
    dims = axes(axis, x.ndim)
    return torch.logsumexp(x, dim=tuple(range(x.ndim)) if dims is None else dims, keepdim=keepdims)


def _complex(x: Any) -> torch.Tensor:
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError(
            "Expected `x` to be a tuple of two tensors: the real and imaginary parts. "
            f"Received: x={x!r:.80}"
        )
    real, imag = binary(*x)
    if real.shape != imag.shape:
        raise ValueError(
            "The real and imaginary parts must have the same shape. "
            f"Received: x[0].shape={tuple(real.shape)}, x[1].shape={tuple(imag.shape)}"
        )
    if not (real.is_floating_point() and imag.is_floating_point()):
        raise ValueError(
            "The real and imaginary parts must be float tensors. "
            f"Received: dtypes={real.dtype}, {imag.dtype}"
        )
    return torch.complex(real, imag)


def _pair(z: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return z.real, z.imag


def fft(x: tuple[Any, Any]) -> tuple[torch.Tensor, torch.Tensor]:
    """The FFT over the last axis of `(real, imag)`."""
    return _pair(torch.fft.fft(_complex(x)))


def fft2(x: tuple[Any, Any]) -> tuple[torch.Tensor, torch.Tensor]:
    """The 2-D FFT over the last two axes of `(real, imag)`."""
    return _pair(torch.fft.fft2(_complex(x)))


def ifft2(x: tuple[Any, Any]) -> tuple[torch.Tensor, torch.Tensor]:
    """The inverse 2-D FFT over the last two axes of `(real, imag)`."""
    return _pair(torch.fft.ifft2(_complex(x)))


def rfft(x: Any, fft_length: int | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """The FFT of a real signal over the last axis (the non-negative frequencies)."""
    return _pair(torch.fft.rfft(to_float(convert(x)), n=fft_length, dim=-1))


def irfft(x: tuple[Any, Any], fft_length: int | None = None) -> torch.Tensor:
    """The inverse of `rfft`: a real signal of length `fft_length`."""
    return torch.fft.irfft(_complex(x), n=fft_length, dim=-1)


def _window(window, length: int, like: torch.Tensor) -> torch.Tensor:
    if window is None:
        return torch.ones(length, dtype=like.dtype, device=like.device)
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(
                f'A string `window` must be "hann" or "hamming". Received: window={window!r}'
            )
        fn = torch.hann_window if window == "hann" else torch.hamming_window
        return fn(length, periodic=True, dtype=like.dtype, device=like.device)
    win = convert(window, like.dtype, like.device)
    if tuple(win.shape) != (length,):
        raise ValueError(
            "The shape of `window` must be `(sequence_length,)`. "
            f"Received: window.shape={tuple(win.shape)}"
        )
    return win


def stft(
    x: Any, sequence_length: int, sequence_stride: int, fft_length: int, window="hann", center=True
) -> tuple[torch.Tensor, torch.Tensor]:
    """The short-time Fourier transform over the last axis: `(real, imag)` of shape
    `(..., num_sequences, fft_length // 2 + 1)`."""
    x = convert(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"`stft` expects float32 or float64 input. Received: x.dtype={x.dtype}")
    if fft_length < sequence_length:
        raise ValueError(
            "`fft_length` must be at least `sequence_length`. "
            f"Received: sequence_length={sequence_length}, fft_length={fft_length}"
        )
    win = _window(window, sequence_length, x)
    batch = x.shape[:-1]
    z = torch.stft(
        x.reshape(-1, x.shape[-1]),
        n_fft=fft_length,
        hop_length=sequence_stride,
        win_length=sequence_length,
        window=win,
        center=center,
        return_complex=True,
    )
    return _pair(z.reshape(*batch, *z.shape[-2:]).transpose(-2, -1))


def istft(
    x: tuple[Any, Any],
    sequence_length: int,
    sequence_stride: int,
    fft_length: int,
    length: int | None = None,
    window="hann",
    center: bool = True,
) -> torch.Tensor:
    """The inverse of `stft`: the signal from `(real, imag)` frames."""
    z = _complex(x)
    win = _window(window, sequence_length, z.real)
    batch = z.shape[:-2]
    frames = z.reshape(-1, *z.shape[-2:]).transpose(-2, -1)
    out = torch.istft(
        frames,
        n_fft=fft_length,
        hop_length=sequence_stride,
        win_length=sequence_length,
        window=win,
        center=center,
        length=length,
    )
    return out.reshape(*batch, out.shape[-1])


def extract_sequences(x: Any, sequence_length: int, sequence_stride: int) -> torch.Tensor:
    """Frames of `sequence_length` samples every `sequence_stride` along the last axis."""
    return convert(x).unfold(-1, sequence_length, sequence_stride)


def logdet(x: Any) -> torch.Tensor:
    """The log-determinant of (batches of) square matrices."""
    return torch.logdet(to_float(convert(x)))


def cdist(x: Any, y: Any) -> torch.Tensor:
    """Pairwise Euclidean distances between the rows of `x` and `y` (`(..., n, d), (..., m, d)`)."""
    a, b = binary(x, y)
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ValueError(
            "`cdist` expects inputs of rank >= 2 with the same last dimension. "
            f"Received: x.shape={tuple(a.shape)}, y.shape={tuple(b.shape)}"
        )
    return torch.cdist(to_float(a), to_float(b), compute_mode="donot_use_mm_for_euclid_dist")


def view_as_complex(x: Any) -> torch.Tensor:
    """A `(..., 2)` float tensor viewed as a complex tensor."""
    return torch.view_as_complex(convert(x).contiguous())


def view_as_real(x: Any) -> torch.Tensor:
    """A complex tensor viewed as a `(..., 2)` float tensor."""
    return torch.view_as_real(convert(x))
