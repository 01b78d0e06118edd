"""Models: `Model` (subclassed or functional), `Sequential`, `Input` and the symbolic `KerasTensor`."""

import torchkeras_lite.layers  # noqa: F401  (first: `layers` itself imports models.input_layer)
from torchkeras_lite.models.input_layer import Input, InputLayer
from torchkeras_lite.models.keras_tensor import KerasTensor
from torchkeras_lite.models.model import Model

from torchkeras_lite.models.functional import Functional  # isort: skip  (needs Model)
from torchkeras_lite.models.sequential import Sequential  # isort: skip
from torchkeras_lite.saving.saving_api import load_model  # isort: skip
