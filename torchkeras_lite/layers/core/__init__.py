"""Core layers: Dense, EinsumDense, Embedding, Identity, Lambda, Masking."""

from torchkeras_lite.layers.core.dense import Dense
from torchkeras_lite.layers.core.einsum_dense import EinsumDense
from torchkeras_lite.layers.core.embedding import Embedding
from torchkeras_lite.layers.core.identity import Identity
from torchkeras_lite.layers.core.lambda_layer import Lambda
from torchkeras_lite.layers.core.masking import Masking
