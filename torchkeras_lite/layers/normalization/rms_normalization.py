"""`RMSNormalization`: divides by the root mean square over the given axes, then scales."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite.layers.layer import Layer


def rms_normalize(
    x: torch.Tensor, scale: torch.Tensor | None, axes: tuple[int, ...], epsilon: float
) -> torch.Tensor:
    """`x / sqrt(mean(x ** 2, axes) + epsilon) * scale`; `axes` non-negative and sorted, `scale`
    of the shape of those axes. Trailing axes run torch's fused `F.rms_norm`."""
    ndim = x.dim()
    dtype = x.dtype
    if dtype in (torch.float16, torch.bfloat16):  # in float32, as Keras computes it
        x = x.float()
    if scale is not None:
        scale = scale.to(x.dtype)
    if axes == tuple(range(ndim - len(axes), ndim)):
        out = F.rms_norm(x, x.shape[ndim - len(axes) :], scale, epsilon)
    else:
        out = x * torch.rsqrt(x.square().mean(dim=axes, keepdim=True) + epsilon)
        if scale is not None:
            out = out * scale.reshape([x.shape[d] if d in axes else 1 for d in range(ndim)])
    return out.to(dtype) if out.dtype != dtype else out


class RMSNormalization(Layer):
    """Root-mean-square normalization (Zhang & Sennrich, 2019): each sample is divided by
    `sqrt(mean(x ** 2) + epsilon)` over `axis` (no centering) and multiplied by a learned `scale`
    of the shape of those axes (initialized to ones).

    Args:
        axis: an int or a list of ints, the normalized axes.
        epsilon: small float added to the mean square.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.RMSNormalization()
        >>> [round(v, 4) for v in layer(torch.tensor([[3.0, 4.0]]))[0].tolist()]  # rms = sqrt(12.5)
        [0.8485, 1.1314]
    """

    def __init__(self, axis: int | list[int] = -1, epsilon: float = 1e-6, **kwargs: Any):
        if not isinstance(axis, int) and not (
            isinstance(axis, (list, tuple)) and axis and all(isinstance(a, int) for a in axis)
        ):
            raise ValueError(
                "Argument `axis` of RMSNormalization must be an int or a list of ints. "
                f"Received: axis={axis!r}"
            )
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = epsilon

    def build(self, input_shape: tuple) -> None:
        rank = len(input_shape)
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        for a in axes:
            if not -rank <= a < rank:
                raise ValueError(
                    f"Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                    f"Received: axis={self.axis}"
                )
        self._axes = tuple(sorted(a % rank for a in axes))
        self.scale = self.add_weight(
            shape=tuple(input_shape[a] for a in self._axes), initializer="ones", name="scale"
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return rms_normalize(inputs, self.scale, self._axes, self.epsilon)

    def compute_output_shape(self, input_shape: Any) -> Any:
        rank = len(input_shape)
        for a in [self.axis] if isinstance(self.axis, int) else self.axis:
            if not -rank <= a < rank:
                raise ValueError(
                    f"Axis {a} is out of bounds for input shape {tuple(input_shape)}. "
                    f"Received: axis={self.axis}"
                )
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
