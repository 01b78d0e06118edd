"""`SpectralNormalization`: a wrapper that keeps a layer's kernel at unit spectral norm."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from torchkeras_lite import initializers
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer


@torch.no_grad()
def spectral_normalize_(
    kernel: torch.Tensor, vector_u: torch.Tensor, power_iterations: int
) -> None:
    """Divides `kernel` in place by its largest singular value, estimated by power iteration
    from `vector_u` (`(1, kernel.shape[-1])`, updated in place). An all-zero kernel is left as it
    is. No host synchronization: the zero check is a `torch.where`."""
    w = kernel.reshape(-1, kernel.shape[-1])
    u = vector_u
    for _ in range(power_iterations):
        v = F.normalize(u @ w.T, dim=-1, eps=1e-7)
        u = F.normalize(v @ w, dim=-1, eps=1e-7)
    sigma = (v @ w) @ u.T
    nonzero = kernel.ne(0).any()
    kernel.copy_(torch.where(nonzero, kernel / sigma.reshape(()), kernel))
    vector_u.copy_(torch.where(nonzero, u, vector_u))


class SpectralNormalization(Layer):
    """Spectral normalization (Miyato et al., 2018) of a wrapped layer's `kernel` (or
    `embeddings`): in training, before each call, the kernel is divided by its spectral norm,
    estimated with `power_iterations` steps of power iteration on a persistent `vector_u`.

    Weights are ordered as in Keras: `[kernel, vector_u, <the layer's other weights>]`.

    Args:
        layer: the layer to wrap; it must have a `kernel` or `embeddings` weight.
        power_iterations: number of power iterations per training call (> 0).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        that of the wrapped layer.

    Output shape:
        that of the wrapped layer.

    Example:
        >>> sn = keras.layers.SpectralNormalization(keras.layers.Dense(4))
        >>> sn(torch.randn(2, 3), training=True).shape
        torch.Size([2, 4])
    """

    def __init__(self, layer: Layer, power_iterations: int = 1, **kwargs: Any):
        if not isinstance(layer, Layer):
            raise ValueError(
                "The layer supplied to SpectralNormalization isn't a supported layer type; please "
                f"pass a Keras layer. Received: layer={layer!r}"
            )
        if (
            isinstance(power_iterations, bool)
            or not isinstance(power_iterations, int)
            or (power_iterations <= 0)
        ):
            raise ValueError(
                "`power_iterations` should be greater than zero. "
                f"Received: power_iterations={power_iterations!r}"
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.power_iterations = power_iterations

    def build(self, input_shape: tuple) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        for name in ("kernel", "embeddings"):
            if isinstance(getattr(self.layer, name, None), torch.Tensor):
                self._kernel_name = name
                break
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'. "
                f"Received: layer={self.layer.name!r}"
            )
        kernel = self.kernel
        self.vector_u = self.add_weight(
            shape=(1, kernel.shape[-1]),
            initializer=initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype,
            name="vector_u",
        )

    @property
    def kernel(self) -> torch.Tensor:
        """The wrapped layer's kernel (or embeddings)."""
        return getattr(self.layer, self._kernel_name)

    @property
    def weights(self) -> list[torch.nn.Parameter]:
        if not self.built:
            return self.layer.weights
        kernel = self.kernel
        return [kernel, self.vector_u, *(w for w in self.layer.weights if w is not kernel)]

    def normalized_weights(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The `(vector_u, kernel)` a training call would set, without setting them."""
        kernel, u = self.kernel.detach().clone(), self.vector_u.detach().clone()
        spectral_normalize_(kernel, u, self.power_iterations)
        return u, kernel

    def call(self, inputs: torch.Tensor, training: bool | None = None) -> torch.Tensor:
        if training:
            spectral_normalize_(self.kernel, self.vector_u, self.power_iterations)
        output = self.layer(inputs)
        return output.to(inputs.dtype) if output.dtype != inputs.dtype else output

    def compute_output_shape(self, input_shape: Any) -> Any:
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict[str, Any]:
        from torchkeras_lite.layers import serialization

        return {
            **super().get_config(),
            "layer": serialization.serialize(self.layer),
            "power_iterations": self.power_iterations,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict | None = None
    ) -> SpectralNormalization:
        from torchkeras_lite.layers import serialization

        config = dict(config)
        if isinstance(config.get("layer"), dict):
            config["layer"] = serialization.deserialize(config["layer"], custom_objects)
        return super().from_config(config)
