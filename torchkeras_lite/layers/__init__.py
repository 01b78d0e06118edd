"""Layers: the `Layer` base class and the built-in layers."""

from torchkeras_lite.layers.activations.activation import Activation
from torchkeras_lite.layers.core import Dense, EinsumDense, Embedding, Identity, Lambda, Masking
from torchkeras_lite.layers.input_spec import InputSpec
from torchkeras_lite.layers.layer import Layer
from torchkeras_lite.layers.normalization.batch_normalization import BatchNormalization
from torchkeras_lite.layers.normalization.layer_normalization import LayerNormalization
from torchkeras_lite.layers.regularization.dropout import Dropout
from torchkeras_lite.layers.regularization.gaussian_noise import GaussianNoise
from torchkeras_lite.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from torchkeras_lite.layers.reshaping import Flatten, Permute, RepeatVector, Reshape
from torchkeras_lite.layers.serialization import deserialize, get, serialize

from torchkeras_lite.models.input_layer import InputLayer  # isort: skip  (models import layers)
from torchkeras_lite.layers.rnn import (  # isort: skip
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    ConvLSTM1D,
    ConvLSTM2D,
    ConvLSTM3D,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    StackedRNNCells,
    TimeDistributed,
)
from torchkeras_lite.layers.preprocessing import (  # isort: skip
    CategoryEncoding,
    CenterCrop,
    Discretization,
    Hashing,
    IntegerLookup,
    Normalization,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    Rescaling,
    Resizing,
    StringLookup,
)
from torchkeras_lite.layers.activations.elu import ELU  # isort: skip
from torchkeras_lite.layers.activations.leaky_relu import LeakyReLU  # isort: skip
from torchkeras_lite.layers.activations.prelu import PReLU  # isort: skip
from torchkeras_lite.layers.activations.relu import ReLU  # isort: skip
from torchkeras_lite.layers.activations.softmax import Softmax  # isort: skip
from torchkeras_lite.layers.attention import (  # isort: skip
    AdditiveAttention,
    Attention,
    GroupedQueryAttention,
    MultiHeadAttention,
)
from torchkeras_lite.layers.merging import (  # isort: skip
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from torchkeras_lite.layers.normalization.group_normalization import GroupNormalization  # isort: skip
from torchkeras_lite.layers.normalization.rms_normalization import RMSNormalization  # isort: skip
from torchkeras_lite.layers.normalization.spectral_normalization import SpectralNormalization  # isort: skip
from torchkeras_lite.layers.normalization.unit_normalization import UnitNormalization  # isort: skip
from torchkeras_lite.layers.regularization.activity_regularization import ActivityRegularization  # isort: skip
from torchkeras_lite.layers.regularization.alpha_dropout import AlphaDropout  # isort: skip
from torchkeras_lite.layers.regularization.gaussian_dropout import GaussianDropout  # isort: skip

GroupQueryAttention = GroupedQueryAttention  # the name Keras exports the class under
from torchkeras_lite.layers.convolutional import (  # noqa: E402  # isort: skip
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Convolution1D,
    Convolution1DTranspose,
    Convolution2D,
    Convolution2DTranspose,
    Convolution3D,
    Convolution3DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from torchkeras_lite.layers.pooling import (  # noqa: E402  # isort: skip
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from torchkeras_lite.layers.reshaping.cropping import (  # noqa: E402  # isort: skip
    Cropping1D,
    Cropping2D,
    Cropping3D,
)
from torchkeras_lite.layers.reshaping.up_sampling import (  # noqa: E402  # isort: skip
    UpSampling1D,
    UpSampling2D,
    UpSampling3D,
)
from torchkeras_lite.layers.reshaping.zero_padding import (  # noqa: E402  # isort: skip
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)
