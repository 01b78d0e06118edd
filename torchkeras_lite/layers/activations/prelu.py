"""`PReLU`: the parametric ReLU, `x` for positives and a learned `alpha * x` for negatives."""

from __future__ import annotations

from typing import Any

import torch

from torchkeras_lite import constraints, initializers, regularizers
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


class PReLU(Layer):
    """Parametric ReLU: `x` for `x >= 0`, `alpha * x` otherwise, with a learned `alpha` per
    input position (the shape of one sample), shared along `shared_axes`.

    `alpha` starts at 0 (Keras' default; torch's `nn.PReLU` starts at 0.25). Masks pass through.

    Args:
        alpha_initializer: initializer for `alpha` (default "zeros").
        alpha_regularizer: regularizer for `alpha`.
        alpha_constraint: constraint for `alpha`.
        shared_axes: axes (1 = the first non-batch axis) along which `alpha` is shared, e.g.
            `[1, 2]` for one `alpha` per channel of `(batch, height, width, channels)` images.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any, with a batch axis.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.5))
        >>> layer(torch.tensor([[-2.0, 3.0]])).tolist()
        [[-1.0, 3.0]]
    """

    def __init__(
        self,
        alpha_initializer: Any = "Zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: int | list[int] | None = None,
        **kwargs: Any,
    ):
        if shared_axes is not None:
            axes = shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes]
            if not all(isinstance(a, int) and not isinstance(a, bool) and a != 0 for a in axes):
                raise ValueError(
                    "Argument `shared_axes` of PReLU must be a non-batch axis or a list of them. "
                    f"Received: shared_axes={shared_axes!r}"
                )
            shared_axes = list(axes)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        self.shared_axes = shared_axes

    def build(self, input_shape: tuple) -> None:
        rank = len(input_shape)
        shared = set()
        for a in self.shared_axes or ():
            axis = a % rank if -rank <= a < rank else None
            if axis is None or axis == 0:
                raise ValueError(
                    f"`shared_axes` must be non-batch axes of the {rank}D input. "
                    f"Received: shared_axes={self.shared_axes}, input_shape={tuple(input_shape)}"
                )
            shared.add(axis)
        param_shape = [1 if i in shared else input_shape[i] for i in range(1, rank)]
        self.alpha = self.add_weight(
            shape=param_shape,
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
            name="alpha",
        )
        axes = {i: input_shape[i] for i in range(1, rank) if i not in shared}
        self.input_spec = InputSpec(ndim=rank, axes=axes)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.where(inputs >= 0, inputs, inputs * self.alpha)

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
