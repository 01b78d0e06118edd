"""The state half of `Layer`: weight lists, freezing, losses, get/set weights, config.

Kept apart from layer.py (the call path) so each file reads as one idea.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from torchkeras_lite.backend.variable import Variable
from torchkeras_lite.layers import call_context
from torchkeras_lite.layers.call_context import CONTEXT


def _created_trainable(p: torch.Tensor) -> bool:
    return getattr(p, "_created_trainable", None) or (
        getattr(p, "_created_trainable", None) is None and _intrinsic_trainable(p)
    )


def _intrinsic_trainable(p: torch.Tensor) -> bool:
    if isinstance(p, Variable):
        return p._trainable
    return bool(getattr(p, "_tkl_requires_grad", p.requires_grad))


def _node_property(attr: str, doc: str) -> property:
    """`input`/`output`: a node attribute, unless the layer stores its own `input`/`output` attribute."""

    def fget(self):
        d = self.__dict__
        for store in ("_modules", "_parameters", "_buffers"):
            if attr in d[store]:
                return d[store][attr]
        if f"_tkl_attr_{attr}" in d:
            return d[f"_tkl_attr_{attr}"]
        from torchkeras_lite.models.node import get_node_attribute

        return get_node_attribute(self, 0, attr, attr)

    def fset(self, value):
        if (
            isinstance(value, (list, tuple))
            and value
            and all(isinstance(v, nn.Module) for v in value)
        ):
            value = nn.ModuleList(value)
        if isinstance(value, (nn.Module, nn.Parameter)) or attr in self._buffers:
            call_context.bump_structure_version()
            nn.Module.__setattr__(self, attr, value)
        else:
            self.__dict__[f"_tkl_attr_{attr}"] = value

    return property(fget, fset, doc=doc)


class LayerStateMixin:
    """Weights, freezing, losses and configuration for `Layer` (mixed into an `nn.Module`)."""

    def _init_state(self, name: str) -> None:
        d = self.__dict__
        d["name"] = name
        d["built"] = False
        d["_supports_masking"] = False
        d["input_spec"] = None
        d["_losses"] = []
        d["_losses_call_id"] = -1
        d["_last_call_id"] = -1
        d["_native_cache"] = (-1, ())
        d["_initial_weights"] = None
        d["_batch_input_shape"] = None

    def _post_init(self) -> None:
        """Runs after the outermost `__init__` of a subclass."""
        self._track_containers()

    def _track_containers(self) -> None:
        """Lists/dicts of modules filled after assignment (`self.blocks = []; .append(...)`) get tracked."""
        for key, value in list(self.__dict__.items()):
            if key.startswith("_") or not isinstance(value, (list, tuple, dict)) or not value:
                continue
            items = value.values() if isinstance(value, dict) else value
            if all(isinstance(v, nn.Module) for v in items):
                setattr(self, key, value)

    # ------------------------------------------------------------------------------------------
    # Functional-API connectivity (nodes are recorded by calls on KerasTensors).
    input = _node_property(
        "input", "The input KerasTensor(s) of the layer's first call on symbolic inputs."
    )
    output = _node_property(
        "output", "The output KerasTensor(s) of the layer's first call on symbolic inputs."
    )

    # ------------------------------------------------------------------------------------------
    # Traversal.
    def _flatten_modules(self, include_self: bool = True) -> list[nn.Module]:
        """Every module in the tree, each once, depth-first in registration order."""
        return [m for m in self.modules() if include_self or m is not self]

    def _flatten_layers(self, include_self: bool = True, recursive: bool = True) -> list[Any]:
        from torchkeras_lite.layers.layer import Layer

        if not recursive:
            return [m for m in self._modules.values() if isinstance(m, Layer)]
        return [m for m in self._flatten_modules(include_self) if isinstance(m, Layer)]

    def _refresh_native_cache(self) -> None:
        """Finds the native (non-Layer) torch modules in the tree, cached until the tree changes."""
        from torchkeras_lite.layers.layer import Layer

        natives = tuple(m for m in self.modules() if not isinstance(m, Layer))
        self.__dict__["_native_cache"] = (call_context.structure_version(), natives)

    def _sync_native_training(self, training: bool) -> None:
        """Native torch submodules (nn.Dropout, nn.BatchNorm...) follow the Keras training flag."""
        for m in self.__dict__["_native_cache"][1]:
            if m.training != training:
                m.training = training

    # ------------------------------------------------------------------------------------------
    # Weights.
    @property
    def weights(self) -> list[torch.nn.Parameter]:
        """All weights: each module's trainable then non-trainable ones, then its sublayers'."""
        seen: set[int] = set()
        out: list[torch.nn.Parameter] = []
        for m in self.modules():
            own = [p for p in m._parameters.values() if p is not None]
            for p in [p for p in own if _created_trainable(p)] + [
                p for p in own if not _created_trainable(p)
            ]:
                if id(p) not in seen:
                    seen.add(id(p))
                    out.append(p)
        return out

    @property
    def variables(self) -> list[torch.nn.Parameter]:
        return self.weights

    @property
    def trainable_weights(self) -> list[torch.nn.Parameter]:
        return [w for w in self.weights if w.requires_grad]

    @property
    def non_trainable_weights(self) -> list[torch.nn.Parameter]:
        return [w for w in self.weights if not w.requires_grad]

    @property
    def trainable_variables(self) -> list[torch.nn.Parameter]:
        return self.trainable_weights

    @property
    def non_trainable_variables(self) -> list[torch.nn.Parameter]:
        return self.non_trainable_weights

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        """Freezes (False) or unfreezes (True) every weight in the tree, native modules included."""
        value = bool(value)
        for m in self.modules():
            if "_trainable" in m.__dict__:
                m.__dict__["_trainable"] = value
            for p in m._parameters.values():
                if p is None:
                    continue
                if not isinstance(p, Variable) and not hasattr(p, "_tkl_requires_grad"):
                    p._tkl_requires_grad = p.requires_grad
                p.requires_grad_(value and _intrinsic_trainable(p))

    def get_weights(self) -> list[np.ndarray]:
        """The weights as numpy arrays, in `weights` order."""
        return [w.detach().cpu().numpy() for w in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Sets the weights from arrays in `weights` order, checking count and each shape."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' with a weight list of length "
                f"{len(weights)}, but the layer was expecting {len(params)} weights."
            )
        with torch.no_grad():
            for p, w in zip(params, weights):
                w = torch.as_tensor(np.asarray(w) if not isinstance(w, torch.Tensor) else w)
                if tuple(w.shape) != tuple(p.shape):
                    name = getattr(p, "path", None) or "weight"
                    raise ValueError(
                        f"Layer '{self.name}' weight '{name}' has shape {tuple(p.shape)}, which is not "
                        f"compatible with the provided weight shape {tuple(w.shape)}."
                    )
                p.copy_(w.to(dtype=p.dtype, device=p.device))

    def count_params(self) -> int:
        """The number of scalars in all weights (an error before the layer is built)."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer isn't built. "
                "You can build it manually via: `layer.build(input_shape)`."
            )
        return sum(int(w.numel()) for w in self.weights)

    # ------------------------------------------------------------------------------------------
    # Losses.
    def add_loss(self, loss: Any) -> None:
        """Adds a loss (a scalar tensor) for the current call; `losses` returns it until the next call."""
        if not isinstance(loss, torch.Tensor):
            loss = torch.as_tensor(loss, dtype=torch.float32)
        if torch.compiler.is_compiling():  # a compiled step collects them without reading call ids
            CONTEXT.compiled_losses.append(loss)
            return
        cid = CONTEXT.call_id
        CONTEXT.last_loss_call_id = cid
        d = self.__dict__
        if d["_losses_call_id"] != cid:
            d["_losses"] = []
            d["_losses_call_id"] = cid
        if not isinstance(loss, torch.Tensor):
            loss = torch.as_tensor(loss, dtype=torch.float32)
        d["_losses"].append(loss)

    @property
    def losses(self) -> list[torch.Tensor]:
        """Losses added during the last call (of this layer and its sublayers) plus regularization."""
        cid = self.__dict__["_last_call_id"]
        out: list[torch.Tensor] = []
        if 0 <= cid <= CONTEXT.last_loss_call_id:  # some add_loss ran during or after that call
            for layer in self._flatten_layers():
                if layer._losses_call_id == cid:
                    out.extend(layer._losses)
        for w in self._regularized_weights():
            out.append(w.regularizer(w))
        return out

    def _regularized_weights(self) -> tuple[torch.Tensor, ...]:
        """The weights that carry a regularizer, cached until the module tree or its weights change."""
        version, cached = self.__dict__.get("_regularized_cache", (-1, ()))
        if version != call_context.structure_version():
            cached = tuple(w for w in self.weights if getattr(w, "regularizer", None) is not None)
            self.__dict__["_regularized_cache"] = (call_context.structure_version(), cached)
        return cached

    # ------------------------------------------------------------------------------------------
    # Configuration.
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments as a JSON-ready dict (subclasses extend it)."""
        from torchkeras_lite import regularizers

        config: dict[str, Any] = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": self.dtype_policy.get_config()["name"],
        }
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Any:
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = config["dtype"].get("config", {}).get("name", "float32")
        return cls(**config)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"
