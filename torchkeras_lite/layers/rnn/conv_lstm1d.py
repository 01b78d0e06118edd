"""`ConvLSTM1D`: a 1D convolutional LSTM over sequences of 1D signals."""

from __future__ import annotations

from typing import Any

from torchkeras_lite.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    """1D Convolutional LSTM: an LSTM whose input and recurrent transforms are convolutions.

    Args:
        filters: number of output channels (positive integer).
        kernel_size: int or tuple of 1 ints.
        strides: int or tuple of 1 ints, of the input convolution (the recurrent one has 1).
        padding: `"valid"` or `"same"` (of the input convolution; the recurrent one is "same").
        data_format: `"channels_last"` or `"channels_first"` (default: the global setting).
        dilation_rate: int or tuple of 1 ints (of the input convolution).
        activation: activation of the cell and output (default `"tanh"`).
        recurrent_activation: activation of the gates (default `"sigmoid"`).
        use_bias: whether to add a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: weight initializers.
        unit_forget_bias: add 1 to the forget gate's bias at initialization.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: weight regularizers.
        activity_regularizer: regularizer of the output.
        kernel_constraint, recurrent_constraint, bias_constraint: weight constraints.
        dropout: fraction of the inputs to drop (in [0, 1]).
        recurrent_dropout: fraction of the recurrent state to drop (in [0, 1]).
        seed: seed of the dropout masks.
        return_sequences, return_state, go_backwards, stateful: as in `RNN`.

    Input shape:
        `(batch, time, steps, channels)` (channels_last) or
        `(batch, time, channels, steps)` (channels_first).

    Output shape:
        `(batch, new_steps, filters)` (channels_last), with a time axis after the batch with
        `return_sequences`; with `return_state`, followed by the final `h` and `c`.

    Example:
        >>> layer = keras.layers.ConvLSTM1D(4, 3, padding="same", return_sequences=True)
        >>> layer(torch.randn(2, 5, 8, 3)).shape
        torch.Size([2, 5, 8, 4])
    """

    def __init__(
        self,
        filters: int,
        kernel_size: Any,
        strides: Any = 1,
        padding: str = "valid",
        data_format: str | None = None,
        dilation_rate: Any = 1,
        activation: Any = "tanh",
        recurrent_activation: Any = "sigmoid",
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        recurrent_initializer: Any = "orthogonal",
        bias_initializer: Any = "zeros",
        unit_forget_bias: bool = True,
        kernel_regularizer: Any = None,
        recurrent_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        recurrent_constraint: Any = None,
        bias_constraint: Any = None,
        dropout: float = 0.0,
        recurrent_dropout: float = 0.0,
        seed: int | None = None,
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        stateful: bool = False,
        **kwargs: Any,
    ):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, **kwargs,
        )  # fmt: skip
