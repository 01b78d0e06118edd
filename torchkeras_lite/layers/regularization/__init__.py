"""Regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise."""

from torchkeras_lite.layers.regularization.dropout import Dropout
from torchkeras_lite.layers.regularization.gaussian_noise import GaussianNoise
from torchkeras_lite.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
