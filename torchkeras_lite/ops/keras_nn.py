"""`keras.ops.nn`: activations, normalizations, losses, convolutions, pooling and attention.

Example:
    >>> keras.ops.nn.softmax(np.array([1.0, 1.0]))
    tensor([0.5000, 0.5000])
"""

# ruff: noqa: F401  (a namespace of re-exports)

from torchkeras_lite.ops.nn_activations import (
    celu,
    elu,
    gelu,
    glu,
    hard_shrink,
    hard_sigmoid,
    hard_silu,
    hard_swish,
    hard_tanh,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    soft_shrink,
    softmax,
    softplus,
    softsign,
    sparse_plus,
    sparse_sigmoid,
    sparsemax,
    squareplus,
    swish,
    tanh_shrink,
    threshold,
)
from torchkeras_lite.ops.nn_conv import (
    adaptive_average_pool,
    adaptive_max_pool,
    average_pool,
    conv,
    conv_transpose,
    depthwise_conv,
    max_pool,
    separable_conv,
)
from torchkeras_lite.ops.nn_losses import (
    binary_crossentropy,
    categorical_crossentropy,
    ctc_decode,
    ctc_loss,
    sparse_categorical_crossentropy,
)
from torchkeras_lite.ops.nn_misc import (
    depth_to_space,
    dot_product_attention,
    fold,
    multi_hot,
    one_hot,
    polar,
    space_to_depth,
    unfold,
)
from torchkeras_lite.ops.nn_norm import (
    batch_normalization,
    layer_normalization,
    moments,
    normalize,
    psnr,
    rms_normalization,
)
