"""`Rescaling`: `inputs * scale + offset`."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from torchkeras_lite.backend import config
from torchkeras_lite.layers.preprocessing.base_preprocessing_layer import PreprocessingLayer


def _serialize(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, (np.ndarray, np.generic)):
        return value.tolist()
    return value


def _deserialize(value: Any) -> Any:
    if isinstance(value, dict) and value.get("class_name") == "__numpy__":  # Keras' array form
        cfg = value["config"]
        return np.asarray(cfg["value"], dtype=cfg.get("dtype"))
    return value


class Rescaling(PreprocessingLayer):
    """Rescales inputs: `inputs * scale + offset`, in the layer's compute dtype.

    E.g. `scale=1/255` maps `[0, 255]` to `[0, 1]`; `scale=1/127.5, offset=-1` maps it to `[-1, 1]`.
    Integer inputs become floats. Applied in training and inference; masks pass through.

    Args:
        scale: a float, or an array broadcast against the inputs (e.g. one value per channel;
            with `image_data_format() == "channels_first"` it is aligned to the channel axis).
        offset: a float or an array, added after scaling.
        **kwargs: base layer arguments (`name`, `dtype`, ...).

    Input shape:
        any.

    Output shape:
        the input shape.

    Example:
        >>> layer = keras.layers.Rescaling(1.0 / 127.5, offset=-1.0)
        >>> layer(torch.tensor([0.0, 127.5, 255.0]))
        tensor([-1.,  0.,  1.])
    """

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any):
        super().__init__(**kwargs)
        self.scale = _deserialize(scale)
        self.offset = _deserialize(offset)
        self.supports_masking = True
        dtype = self.dtype_policy.compute_torch_dtype
        for name, value in (("_scale", self.scale), ("_offset", self.offset)):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                self.__dict__[name] = float(value)
                continue
            try:
                t = torch.as_tensor(np.asarray(value, dtype=np.float64), dtype=dtype)
            except (TypeError, ValueError):
                arg = name[1:]
                raise ValueError(
                    f"Argument `{arg}` must be a number or an array of numbers. "
                    f"Received: {arg}={value!r}"
                ) from None
            if t.dim() > 0 and config.image_data_format() == "channels_first":
                t = t.reshape(tuple(t.shape) + (1,) * (3 - t.dim()))
            self.register_buffer(name, t, persistent=False)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        dtype = self.dtype_policy.compute_torch_dtype
        x = inputs if inputs.dtype == dtype else inputs.to(dtype)
        out = x * self._scale
        offset = self._offset
        if isinstance(offset, float) and offset == 0.0:
            return out
        return out + offset

    def compute_output_shape(self, input_shape: Any) -> Any:
        return tuple(input_shape)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "scale": _serialize(self.scale),
            "offset": _serialize(self.offset),
        }
