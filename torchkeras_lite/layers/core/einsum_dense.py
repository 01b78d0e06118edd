"""`EinsumDense`: a dense layer whose contraction is any einsum equation of input and kernel."""

from __future__ import annotations

import re
from typing import Any

import torch

from torchkeras_lite import activations, constraints, initializers, regularizers
from torchkeras_lite.initializers import VarianceScaling
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer

_PLAIN = re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")
_LEFT_ELIDED = re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)")
_RIGHT_ELIDED = re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.")


def _split_equation(equation: str) -> tuple[str, str, str, str | None]:
    """`(input_spec, weight_spec, output_spec, elided)`; `elided` is None, "left" or "right"."""
    for pattern, elided in ((_PLAIN, None), (_LEFT_ELIDED, "left"), (_RIGHT_ELIDED, "right")):
        match = pattern.fullmatch(equation.replace(" ", ""))
        if match:
            return (*match.groups(), elided)
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form [X],[Y]->[Z], "
        f"...[X],[Y]->...[Z], or [X]...,[Y]->[Z].... Received: equation={equation!r}"
    )


def analyze_einsum(
    equation: str, bias_axes: str | None, input_shape: tuple, output_shape: tuple
) -> tuple[list, list | None, list, list[int], list[int]]:
    """Weight shapes of an EinsumDense, following Keras' rules.

    Args:
        equation: the einsum equation.
        bias_axes: output letters that get a bias, or None.
        input_shape: the full input shape, batch included.
        output_shape: the output shape without the batch (and elided) dimensions; None entries
            are free.

    Returns:
        `(kernel_shape, bias_shape, full_output_shape, input_axes, output_axes)`, the axes being
        the kernel axes that contract with the input and that appear in the output.
    """
    input_spec, weight_spec, output_spec, side = _split_equation(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (elided > 0 and side is None):
        raise ValueError(
            f"The rank of the input does not match the einsum equation's input spec "
            f"'{input_spec}'. Received: equation={equation!r}, input_shape={input_shape}"
        )
    left = side == "left"
    out = [input_shape[0], *output_shape]
    if elided > 0 and left:
        out[1:1] = list(input_shape[1:elided])
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided :])
    offset = elided if left else 0
    in_index = {d: (i + offset - len(input_shape) if left else i) for i, d in enumerate(input_spec)}
    out_index = {d: i + offset for i, d in enumerate(output_spec)}

    for dim in input_spec:
        if dim in out_index:
            given, actual = out[out_index[dim]], input_shape[in_index[dim]]
            if given is not None and actual is not None and given != actual:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{dim}'. "
                    f"Input shape is {actual}, and output shape is {given}. "
                    f"Received: equation={equation!r}, output_shape={tuple(output_shape)}"
                )
            out[out_index[dim]] = actual
    for dim in output_spec:
        if dim not in input_spec and dim not in weight_spec:
            raise ValueError(
                f"Dimension '{dim}' was specified in the output '{output_spec}' but has no "
                f"corresponding dim in the input spec '{input_spec}' or weight spec "
                f"'{weight_spec}'. Received: equation={equation!r}"
            )
    kernel_shape, input_axes, output_axes = [], [], []
    for i, dim in enumerate(weight_spec):
        if dim in out_index:
            kernel_shape.append(out[out_index[dim]])
            output_axes.append(i)
        elif dim in in_index:
            kernel_shape.append(input_shape[in_index[dim]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"Weight dimension '{dim}' did not have a match in either the input spec "
                f"'{input_spec}' or the output spec '{output_spec}'. For this layer, the weight "
                f"must be fully specified. Received: equation={equation!r}"
            )

    bias_shape = None
    if bias_axes is not None:
        for char in bias_axes:
            if char not in output_spec:
                raise ValueError(
                    f"Bias dimension '{char}' was requested, but is not part of the output spec "
                    f"'{output_spec}'. Received: bias_axes={bias_axes!r}"
                )
        first = min(output_spec.find(c) for c in bias_axes)
        bias_shape = [
            out[first + i + offset] if c in bias_axes else 1
            for i, c in enumerate(output_spec[first:])
        ]
        if not left:
            bias_shape.extend([1] * max(elided, 0))
    return kernel_shape, bias_shape, out, input_axes, output_axes


class EinsumDense(Layer):
    """A dense layer of arbitrary dimensionality: `activation(einsum(equation, inputs, kernel) + bias)`.

    Args:
        equation: an einsum equation `"ab,bc->ac"`, `"...b,bc->...c"` or `"ab...,bc->ac..."`;
            the first operand is the input, the second the kernel.
        output_shape: the output shape without the batch dimension (and without elided
            dimensions); an int for rank-1; None entries are inferred from the input.
        activation: activation function (name or callable); None means linear.
        bias_axes: the output letters a bias is added along (e.g. `"c"`), or None for no bias.
        kernel_initializer, bias_initializer: initializers. A variance-scaling kernel
            initializer gets the fans from the contracted and the output axes of the kernel.
        kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint: as in `Dense`.
        **kwargs: base layer arguments (`name`, `dtype`, `activity_regularizer`, ...).

    Input shape:
        a tensor whose rank matches the equation's input spec.

    Output shape:
        `(batch_size, *output_shape)` (plus elided dimensions).

    Example:
        >>> layer = keras.layers.EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
        >>> layer(torch.ones(2, 32, 128)).shape
        torch.Size([2, 32, 64])
    """

    def __init__(
        self,
        equation: str,
        output_shape: Any,
        activation: Any = None,
        bias_axes: str | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        **kwargs: Any,
    ):
        if not isinstance(equation, str):
            raise ValueError(
                f"Argument `equation` must be a string. Received: equation={equation!r}"
            )
        _split_equation(equation)
        super().__init__(**kwargs)
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape: tuple) -> None:
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        init = self.kernel_initializer
        if isinstance(init, VarianceScaling) and (
            init.input_axes is None or init.output_axes is None
        ):
            config = {**init.get_config(), "input_axes": input_axes, "output_axes": output_axes}
            init = type(init).from_config(config)
        self.kernel = self.add_weight(
            name="kernel",
            shape=tuple(kernel_shape),
            initializer=init,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=tuple(bias_shape),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        else:
            self.bias = None
        self.input_spec = InputSpec(ndim=len(input_shape))

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        outputs = torch.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = outputs + self.bias
        if self.activation is not activations.linear:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape: tuple) -> tuple:
        _, _, full, _, _ = analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        return tuple(full)

    def get_config(self) -> dict[str, Any]:
        return {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
