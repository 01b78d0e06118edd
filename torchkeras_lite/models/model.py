"""`Model`: a Layer with training (`compile`/`fit`/...), layer access and the functional constructor.

`keras.Model(inputs, outputs)` returns a functional model (`Functional`); subclasses define layers in
`__init__` and the computation in `call`. A subclass whose `__init__` calls
`super().__init__(inputs, outputs)` becomes functional too.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.saving.model_saving import SavingMixin
from torchkeras_lite.trainers.trainer import Trainer


def is_functional_init(args: tuple, kwargs: dict) -> bool:
    """True when constructor arguments are `(inputs, outputs)`: a functional model is meant."""
    return (
        len(args) == 2
        or (len(args) == 1 and "outputs" in kwargs)
        or ("inputs" in kwargs and "outputs" in kwargs)
    )


def _direct_layers(module: nn.Module) -> list[Layer]:
    """Layers directly held by `module`, looking through ModuleList/ModuleDict containers."""
    out: list[Layer] = []
    for child in module._modules.values():
        if isinstance(child, Layer):
            out.append(child)
        elif isinstance(child, (nn.ModuleList, nn.ModuleDict)):
            out.extend(_direct_layers(child))
    return out


_FUNCTIONAL_SUBCLASSES: dict[type, type] = {}


class Model(SavingMixin, Trainer, Layer):
    """A model: a Layer that can be trained (`compile`, `fit`, `evaluate`, `predict`).

    Either subclass it (layers in `__init__`, computation in `call`), or call it with inputs and
    outputs to make a functional model whose graph is a `torch.fx.GraphModule`.

    Args:
        inputs: (functional) the `keras.Input` tensor(s): one, a list or a dict.
        outputs: (functional) the output tensor(s) computed from `inputs`: one, a list or a dict.
        name: the model's name.
        trainable: whether its weights are trained.

    Example:
        >>> inputs = keras.Input((16,))
        >>> outputs = keras.layers.Dense(4)(torch.relu(inputs))
        >>> model = keras.Model(inputs, outputs)
        >>> class MLP(keras.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.dense = keras.layers.Dense(4)
        ...     def call(self, x):
        ...         return self.dense(x)
    """

    def __new__(cls, *args: Any, **kwargs: Any):
        if cls is Model and is_functional_init(args, kwargs):
            from torchkeras_lite.models.functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any):
        from torchkeras_lite.models.functional import Functional

        if is_functional_init(args, kwargs) and not isinstance(self, Functional):
            self.__class__ = _functional_subclass(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        if args:
            raise TypeError(
                f"Model '{type(self).__name__}' got unexpected positional arguments. Pass `inputs` and "
                f"`outputs` for a functional model, or keyword arguments only. Received: args={args!r}"
            )
        Layer.__init__(self, **kwargs)
        init_trainer = getattr(self, "_init_trainer_state", None)
        if init_trainer is not None:
            init_trainer()

    def call(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            f"Model '{self.name}' ({type(self).__name__}) does not define `call()`. Subclasses of "
            "keras.Model must implement `call(self, inputs, ...)`; or create a functional model "
            "with `keras.Model(inputs, outputs)`."
        )

    # ------------------------------------------------------------------------------------------
    # Layers.
    @property
    def layers(self) -> list[Layer]:
        """The model's direct sublayers, in the order they were assigned."""
        return _direct_layers(self)

    @layers.setter
    def layers(self, _: Any) -> None:
        raise AttributeError(
            "`Model.layers` attribute is reserved and should not be used. Please use another name."
        )

    def get_layer(self, name: str | None = None, index: int | None = None) -> Any:
        """Retrieves a layer by its name (unique) or by its index in `layers`.

        Args:
            name: the layer's name.
            index: the layer's position in `model.layers`.
        """
        layers = self.layers
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in [*layers, *self._extra_named_modules()]:
                if getattr(layer, "name", None) == name or layer.__dict__.get("_tkl_name") == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def _extra_named_modules(self) -> list[nn.Module]:
        """Native modules reachable by name (functional graphs name them)."""
        return []

    def summary(
        self,
        line_length: int | None = None,
        positions: list[float] | None = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: list[str] | tuple[str, str] | None = None,
    ) -> None:
        """Prints a table of the layers (name, type, output shape, params) and the param totals.

        Args:
            line_length: the table width (default: 88, 108 for graphs, within the terminal).
            positions: where each column ends, as fractions of the line (or in characters).
            print_fn: called once with the whole summary as plain text (no colour codes), e.g.
                `logging.info`; default: print to stdout (colours only on a terminal).
            expand_nested: also list the layers of nested models, indented.
            show_trainable: add a column telling whether each layer is trainable.
            layer_range: two layer names (or regexes): only the rows from the first to the last.

        Example:
            >>> model.summary(show_trainable=True, print_fn=logging.info)
        """
        from torchkeras_lite.models.summary import print_summary

        print_summary(
            self, line_length, positions, print_fn, expand_nested, show_trainable, layer_range
        )

    # ------------------------------------------------------------------------------------------
    # Building.
    def build(self, input_shape: Any = None) -> None:
        """Builds the model's weights by running `call` on fake inputs of `input_shape`.

        Args:
            input_shape: the input shape including the batch dimension (`None` allowed), or a
                list/dict of shapes for several inputs.
        """
        from torchkeras_lite.layers import symbolic
        from torchkeras_lite.models import shape_inference
        from torchkeras_lite.models.keras_tensor import KerasTensor

        if input_shape is None:
            raise ValueError(
                f"You must provide an `input_shape` argument to build model '{self.name}'."
            )
        inputs = shape_inference.map_shapes(lambda s: KerasTensor(s), input_shape)
        symbolic.output_spec(self, (inputs,), {}, use_compute_output_shape=False)

    def _maybe_build(self, args: tuple, kwargs: dict) -> None:
        # A lazy first call needs no separate build: sublayers build as the call reaches them.
        if type(self).build is Model.build:
            self.built = True
            if self._initial_weights is not None:
                self.set_weights(self._initial_weights)
                self._initial_weights = None
            return
        Layer._maybe_build(self, args, kwargs)

    # ------------------------------------------------------------------------------------------
    # Configuration.
    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict | None = None) -> Any:
        """Rebuilds a model from `get_config()`: functional configs are reconnected layer by layer."""
        from torchkeras_lite.models import functional_config

        if functional_config.is_functional_config(config):
            return functional_config.functional_from_config(cls, config, custom_objects)
        return super().from_config(config)


def _functional_subclass(cls: type) -> type:
    """`cls` with `Functional` mixed in (for subclasses calling `super().__init__(inputs, outputs)`)."""
    from torchkeras_lite.models.functional import Functional

    if cls not in _FUNCTIONAL_SUBCLASSES:
        _FUNCTIONAL_SUBCLASSES[cls] = type(
            cls.__name__, (cls, Functional), {"__module__": cls.__module__}
        )
    return _FUNCTIONAL_SUBCLASSES[cls]
