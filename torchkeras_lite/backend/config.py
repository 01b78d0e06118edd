"""Global settings: float type, epsilon, image data format and device, as in `keras.config`."""

from __future__ import annotations

import os

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_DEVICE: str | None = os.environ.get("TORCHKERAS_LITE_DEVICE") or None

_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")


def backend() -> str:
    """The name of the backend: always `"torch"`."""
    return "torch"


def floatx() -> str:
    """The default float type, as a string (`"float32"` unless changed)."""
    return _FLOATX


def set_floatx(value: str) -> None:
    """Sets the default float type used for new weights and inputs."""
    global _FLOATX
    if value not in _FLOAT_TYPES:
        raise ValueError(
            f"Unknown `floatx` value. Expected one of {_FLOAT_TYPES}. Received: value={value!r}"
        )
    _FLOATX = str(value)


def epsilon() -> float:
    """The fuzz factor used in numeric expressions (1e-7 unless changed)."""
    return _EPSILON


def set_epsilon(value: float) -> None:
    """Sets the fuzz factor used in numeric expressions."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """The default image data format: `"channels_last"` unless changed."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format: str) -> None:
    """Sets the default image data format (`"channels_last"` or `"channels_first"`)."""
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format!r}"
        )
    _IMAGE_DATA_FORMAT = data_format


def standardize_data_format(data_format: str | None) -> str:
    """Returns `data_format`, or the global default when it is None, validated."""
    if data_format is None:
        return _IMAGE_DATA_FORMAT
    fmt = str(data_format).lower()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format!r}"
        )
    return fmt
