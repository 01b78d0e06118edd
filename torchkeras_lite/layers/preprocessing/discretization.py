"""`Discretization`: buckets continuous values by ranges, with `adapt()` learning quantile bins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import torch

from torchkeras_lite.layers.preprocessing import stats
from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import (
    PreprocessingLayer,
    check_sparse,
    is_numeric_list,
    strip_targets,
    validate_string_arg,
)
from torchkeras_lite.ops.categorical import ENCODING_MODES, digitize, encode_categorical


class Discretization(PreprocessingLayer):
    """Places each value into one of several contiguous ranges and outputs the range's index.

    `bin_boundaries=[0., 1., 2.]` makes the bins `(-inf, 0)`, `[0, 1)`, `[1, 2)`, `[2, inf)`. With
    `num_bins` instead, `adapt(data)` learns boundaries at approximate quantiles of the data.

    Args:
        bin_boundaries: a sorted list of boundaries; then `adapt()` must not be called.
        num_bins: the number of bins to learn with `adapt()` (exclusive with `bin_boundaries`).
        epsilon: the error tolerance of the quantile approximation (e.g. 0.01).
        output_mode: `"int"` (bin indices, int32), `"one_hot"`, `"multi_hot"` or `"count"`
            (float encodings with one slot per bin; see `CategoryEncoding`).
        sparse: must be False (sparse outputs are TensorFlow-only).
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any; values are compared in float32 (float64 inputs in float64).

    Output shape:
        "int": the input shape; "one_hot": the input shape plus a bin axis (replacing a trailing
        axis of size 1); "multi_hot"/"count": the last axis replaced by the bin axis.

    Example:
        >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> layer(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
        tensor([[0, 2, 3, 1],
                [1, 3, 2, 1]], dtype=torch.int32)
    """

    def __init__(
        self,
        bin_boundaries: list[float] | None = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        check_sparse(sparse)
        validate_string_arg(output_mode, ENCODING_MODES, "Discretization", "output_mode")
        if num_bins is not None and num_bins < 0:
            raise ValueError(
                f"`num_bins` must be greater than or equal to 0. Received: `num_bins={num_bins}`"
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(
                "You need to set either `num_bins` or `bin_boundaries`. "
                f"Received: num_bins={num_bins}, bin_boundaries={bin_boundaries}"
            )
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.summary = stats.empty_summary()
        self.bin_boundaries = None
        if bin_boundaries is not None:
            self._set_boundaries(bin_boundaries)

    def _set_boundaries(self, boundaries: Any) -> None:
        boundaries = [float(b) for b in np.asarray(boundaries, dtype=np.float64).reshape(-1)]
        if any(b > a for a, b in zip(boundaries[1:], boundaries)):
            raise ValueError(
                f"`bin_boundaries` must be sorted in increasing order. "
                f"Received: bin_boundaries={boundaries}"
            )
        self.bin_boundaries = boundaries
        old = self._buffers.get("_boundaries")
        device = old.device if old is not None else None
        for name, dtype in (("_boundaries", torch.float32), ("_boundaries64", torch.float64)):
            tensor = torch.tensor(boundaries, dtype=dtype, device=device)
            self.register_buffer(name, tensor, persistent=False)

    @property
    def depth(self) -> int:
        """The number of bins: `len(bin_boundaries) + 1` (`num_bins` before adapting)."""
        if self.bin_boundaries is not None:
            return len(self.bin_boundaries) + 1
        return int(self.num_bins)

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns `num_bins - 1` boundaries at approximate quantiles of `data`.

        Args:
            data: a numpy array, a tensor, or an iterable of batches (e.g. a torch DataLoader;
                `(x, y)` batches use `x`). Batches are summarized one at a time.
            steps: the number of batches to use from an iterable (default: all).
        """
        if self.num_bins is None:
            raise ValueError(
                "Cannot adapt a Discretization layer that has been initialized with "
                f"`bin_boundaries`, use `num_bins` instead. Received: num_bins={self.num_bins}"
            )
        self.summary = stats.empty_summary()
        if (
            isinstance(data, (np.ndarray, torch.Tensor))
            or is_numeric_list(data)
            or not isinstance(data, Iterable)
        ):
            self._update(data)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self._update(strip_targets(batch))
        self._set_boundaries(stats.summary_boundaries(self.summary, self.num_bins))

    def _update(self, batch: Any) -> None:
        if isinstance(batch, torch.Tensor):
            batch = batch.detach().cpu().numpy()
        values = np.asarray(batch).astype("float32")
        self.summary = stats.merge_summaries(
            stats.summarize(values, self.epsilon), self.summary, self.epsilon
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or "
                "call `adapt(dataset)` before you can start using the `Discretization` layer. "
                f"Received: bin_boundaries={self.bin_boundaries}"
            )
        boundaries = self._boundaries64 if inputs.dtype == torch.float64 else self._boundaries
        indices = digitize(inputs, boundaries)
        if self.output_mode == "int":
            return indices.to(torch.int32)
        dtype = self.dtype_policy.compute_torch_dtype
        return encode_categorical(indices, self.output_mode, self.depth, dtype)

    def compute_output_shape(self, input_shape: Any) -> Any:
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            return input_shape
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (self.depth,)
            return input_shape + (self.depth,)
        return input_shape[:-1] + (self.depth,)

    def get_config(self) -> dict[str, Any]:
        base = super().get_config()
        base.pop("trainable", None)  # Keras' Discretization takes no `trainable` argument
        return {
            **base,
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Discretization:
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None)
        if config.get("num_bins") is None:
            config["bin_boundaries"] = boundaries
            return super().from_config(config)
        layer = super().from_config(config)  # an adapted layer: restore its learned boundaries
        if boundaries is not None:
            layer._set_boundaries(boundaries)
        return layer
