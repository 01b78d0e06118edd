"""Merging layers (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot) and their
functional forms (`add`, `subtract`, ...)."""

from torchkeras_lite.layers.merging.add import Add, add
from torchkeras_lite.layers.merging.average import Average, average
from torchkeras_lite.layers.merging.base_merge import Merge
from torchkeras_lite.layers.merging.concatenate import Concatenate, concatenate
from torchkeras_lite.layers.merging.dot import Dot, dot
from torchkeras_lite.layers.merging.maximum import Maximum, maximum
from torchkeras_lite.layers.merging.minimum import Minimum, minimum
from torchkeras_lite.layers.merging.multiply import Multiply, multiply
from torchkeras_lite.layers.merging.subtract import Subtract, subtract
