"""`keras.config`: the global settings (float type, epsilon, image format, dtype policy, device).

Example:
    >>> keras.config.set_floatx("float64")
    >>> keras.config.floatx()
    'float64'
"""

from torchkeras_lite.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)
from torchkeras_lite.backend.device import get_device, set_device
from torchkeras_lite.backend.dtypes import dtype_policy, set_dtype_policy
from torchkeras_lite.config.traceback import (
    disable_traceback_filtering,
    enable_traceback_filtering,
    is_traceback_filtering_enabled,
)
from torchkeras_lite.saving.safe_mode import enable_unsafe_deserialization, in_safe_mode


def is_unsafe_deserialization_enabled() -> bool:
    """Whether loading code from files (Lambda layers) is allowed right now.

    True after `enable_unsafe_deserialization()`, or inside a `safe_mode=False` load.
    """
    return not in_safe_mode()


def set_backend(backend: str) -> None:  # noqa: F811  (Keras' argument name)
    """Keras switches backends here; torchkeras_lite only has "torch".

    Raises:
        ValueError: for any backend other than "torch".
    """
    if backend != "torch":
        raise ValueError(
            f'torchkeras_lite only runs on the "torch" backend. Received: backend={backend!r}'
        )
