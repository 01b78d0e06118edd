"""torchkeras_lite: the Keras API where every Layer is a torch.nn.Module."""

from torchkeras_lite import (
    activations,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    distribution,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    ops,
    optimizers,
    preprocessing,
    random,
    regularizers,
    saving,
    utils,
)
from torchkeras_lite.backend.variable import Variable
from torchkeras_lite.layers import InputSpec, Layer
from torchkeras_lite.models import Input, KerasTensor, Model, Sequential

__version__ = "0.1.0"
