"""torchkeras_lite: the Keras API where every Layer is a torch.nn.Module."""

from torchkeras_lite import (
    activations,
    backend,
    constraints,
    initializers,
    layers,
    regularizers,
    saving,
)
from torchkeras_lite.backend.variable import Variable
from torchkeras_lite.layers import InputSpec, Layer

__version__ = "0.1.0"
