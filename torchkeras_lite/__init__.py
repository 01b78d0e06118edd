"""torchkeras_lite: the Keras API where every Layer is a torch.nn.Module."""

__version__ = "0.1.0"
