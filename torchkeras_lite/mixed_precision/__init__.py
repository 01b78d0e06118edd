"""`keras.mixed_precision`: the global dtype policy under its Keras 2/3 names."""

from torchkeras_lite.backend.dtypes import DTypePolicy
from torchkeras_lite.backend.dtypes import dtype_policy as global_policy
from torchkeras_lite.backend.dtypes import set_dtype_policy as set_global_policy
from torchkeras_lite.optimizers import LossScaleOptimizer

Policy = DTypePolicy
dtype_policy = global_policy
set_dtype_policy = set_global_policy

__all__ = [
    "DTypePolicy",
    "LossScaleOptimizer",
    "Policy",
    "dtype_policy",
    "global_policy",
    "set_dtype_policy",
    "set_global_policy",
]
