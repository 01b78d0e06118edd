"""Backend: devices, dtypes and dtype policies, global config and seeding."""

from torchkeras_lite.backend.config import (
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from torchkeras_lite.backend.device import device_of, get_device, set_device
from torchkeras_lite.backend.dtypes import (
    DTypePolicy,
    dtype_name,
    dtype_policy,
    get_policy,
    set_dtype_policy,
    to_torch_dtype,
)
from torchkeras_lite.backend.random import make_generator, set_random_seed
from torchkeras_lite.backend.session import (
    clear_session,
    get_uid,
    is_float_dtype,
    is_int_dtype,
    is_keras_tensor,
    result_type,
    standardize_dtype,
)
