"""Saving: registries of serializable objects, configs, weights and archives."""

from torchkeras_lite.saving.errors import SavingError
from torchkeras_lite.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from torchkeras_lite.saving.registry import (
    Registry,
    deserialize_keras_object,
    serialize_keras_object,
)
from torchkeras_lite.saving.safe_mode import (
    SafeModeScope,
    enable_unsafe_deserialization,
    in_safe_mode,
)
from torchkeras_lite.saving.saving_api import load_model, load_weights, save_model, save_weights
