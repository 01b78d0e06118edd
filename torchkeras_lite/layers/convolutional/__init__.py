"""Convolution layers: Conv1D/2D/3D, their transposes, depthwise and separable convolutions."""

from torchkeras_lite.layers.convolutional.base_conv import BaseConv
from torchkeras_lite.layers.convolutional.base_conv_transpose import BaseConvTranspose
from torchkeras_lite.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv
from torchkeras_lite.layers.convolutional.base_separable_conv import BaseSeparableConv
from torchkeras_lite.layers.convolutional.conv1d import Conv1D
from torchkeras_lite.layers.convolutional.conv1d_transpose import Conv1DTranspose
from torchkeras_lite.layers.convolutional.conv2d import Conv2D
from torchkeras_lite.layers.convolutional.conv2d_transpose import Conv2DTranspose
from torchkeras_lite.layers.convolutional.conv3d import Conv3D
from torchkeras_lite.layers.convolutional.conv3d_transpose import Conv3DTranspose
from torchkeras_lite.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from torchkeras_lite.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from torchkeras_lite.layers.convolutional.separable_conv1d import SeparableConv1D
from torchkeras_lite.layers.convolutional.separable_conv2d import SeparableConv2D

# Keras' aliases.
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
