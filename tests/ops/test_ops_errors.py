"""Every error the ops raise, with its Keras-style message."""

from __future__ import annotations

import numpy as np
import pytest

from torchkeras_lite import ops
from torchkeras_lite.ops import dtype_rules, tensor_utils

A = np.zeros((2, 3), "float32")
IMG = np.zeros((1, 4, 4, 3), "float32")

CASES = [
    (lambda: ops.ldexp(A, A), TypeError, "integer exponent"),
    (lambda: ops.correlate([1.0, 2.0], [1.0], mode="x"), ValueError, "`mode` must be one of"),
    (lambda: ops.max(np.zeros((0,))), ValueError, "empty tensor without `initial`"),
    (lambda: ops.searchsorted(A, [1.0]), ValueError, "only supports 1-D"),
    (lambda: ops.searchsorted([1.0], [1.0], side="up"), ValueError, "`side` must be"),
    (lambda: ops.where(A > 0, A), ValueError, "must both be given"),
    (lambda: ops.bincount([1], sparse=True), ValueError, "sparse=True"),
    (lambda: ops.squeeze(A, axis=0), ValueError, "Cannot squeeze axis 0"),
    (lambda: ops.split(A, 4, axis=1), ValueError, "not divisible"),
    (lambda: ops.rot90([1.0]), ValueError, "at least 2 dimensions"),
    (
        lambda: ops.pad(A, [(1, 1)], mode="reflect", constant_values=1),
        ValueError,
        "constant_values",
    ),
    (lambda: ops.pad(A, [(1, 1)], mode="median"), ValueError, "Unsupported padding mode"),
    (lambda: ops.sum(A, axis=3), ValueError, "out of bounds"),
    (lambda: ops.conv(A, A), ValueError, "rank 3, 4 or 5"),
    (
        lambda: ops.conv(IMG, np.zeros((3, 3, 3, 2)), padding="full"),
        ValueError,
        "`padding` must be",
    ),
    (lambda: ops.conv(IMG, np.zeros((3, 3, 2, 2))), ValueError, "multiple of the kernel"),
    (lambda: ops.max_pool(IMG, (2, 2, 2)), ValueError, "`pool_size` must have 2 values"),
    (lambda: ops.binary_crossentropy(A, A[0]), ValueError, "same shape"),
    (lambda: ops.categorical_crossentropy(1.0, 1.0), ValueError, "at least rank 1"),
    (
        lambda: ops.sparse_categorical_crossentropy([1, 2, 0], A),
        ValueError,
        "without the class axis",
    ),
    (
        lambda: ops.ctc_decode(np.zeros((1, 2, 3)), [2], strategy="beam_search"),
        ValueError,
        "greedy",
    ),
    (lambda: ops.one_hot([1], 3, sparse=True), ValueError, "Sparse tensors"),
    (lambda: ops.multi_hot([1]), ValueError, "`num_classes` must be specified"),
    (lambda: ops.dot_product_attention(A, A, A), ValueError, "expects 4D inputs"),
    (
        lambda: ops.dot_product_attention(*[np.zeros((1, 2, 1, 2))] * 3, bias=1, mask=1),
        ValueError,
        "Only one of",
    ),
    (lambda: ops.normalize(A, order=0), ValueError, "`order` must be an int >= 1"),
    (lambda: ops.psnr(A, A[0], 1.0), ValueError, "same shape"),
    (lambda: ops.convert_to_tensor(A, sparse=True), ValueError, "Sparse and ragged"),
    (lambda: ops.convert_to_tensor(["a"]), ValueError, "numeric array"),
    (lambda: ops.scan(1, 0, [1]), TypeError, "`f` must be callable"),
    (lambda: ops.scan(lambda c, x: (c, x), 0), ValueError, "Expected `xs` or `length`"),
    (
        lambda: ops.scatter_update(A, [[0, 0]], [1.0], reduction="avg"),
        ValueError,
        "`reduction` must be",
    ),
    (lambda: ops.vectorize(np.add, signature="(n)->()"), ValueError, "Generalized signatures"),
    (lambda: ops.segment_sum(A, [0, 1, 2]), ValueError, "leading axes of `data`"),
    (lambda: ops.fft(A), ValueError, "tuple of two tensors"),
    (lambda: ops.fft((A, A[0])), ValueError, "same shape"),
    (lambda: ops.fft(([1, 2], [1, 2])), ValueError, "must be float tensors"),
    (lambda: ops.stft(A, 2, 1, 2, window="blackman"), ValueError, '"hann" or "hamming"'),
    (lambda: ops.stft(A, 2, 1, 2, window=[1.0]), ValueError, "shape of `window`"),
    (lambda: ops.stft(A.astype("float16"), 2, 1, 2), TypeError, "float32 or float64"),
    (lambda: ops.stft(A, 3, 1, 2), ValueError, "`fft_length` must be at least"),
    (lambda: ops.cdist(A, A[0]), ValueError, "rank >= 2"),
    (lambda: ops.inv(A), ValueError, "square matrices"),
    (lambda: ops.qr(A, mode="r"), ValueError, "`mode` must be one of"),
    (lambda: ops.image.resize(A, (2, 2)), ValueError, "rank 3"),
    (
        lambda: ops.image.resize(IMG, (2, 2), interpolation="lanczos3"),
        ValueError,
        "`interpolation`",
    ),
    (
        lambda: ops.image.resize(IMG, (2, 2), fill_mode="reflect"),
        ValueError,
        "fill_mode='constant'",
    ),
    (
        lambda: ops.image.resize(IMG, (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True),
        ValueError,
        "Only one of",
    ),
    (lambda: ops.image.resize(IMG, (2,)), ValueError, r"\(height, width\)"),
    (
        lambda: ops.image.affine_transform(IMG, np.zeros(8), interpolation="cubic"),
        ValueError,
        "`interpolation`",
    ),
    (
        lambda: ops.image.affine_transform(IMG, np.zeros(8), fill_mode="edge"),
        ValueError,
        "`fill_mode`",
    ),
    (lambda: ops.image.affine_transform(IMG, np.zeros(6)), ValueError, r"shape \(8,\)"),
    (lambda: ops.image.rgb_to_grayscale(np.zeros((4, 4, 2))), ValueError, "3 \\(RGB\\) or 1"),
    (lambda: ops.image.rgb_to_hsv(np.zeros((4, 4, 3), "int32")), ValueError, "float images"),
    (lambda: ops.image.pad_images(IMG, 1), ValueError, "Give both padding amounts"),
    (lambda: ops.image.pad_images(IMG, target_height=6), ValueError, "give one of the padding"),
    (
        lambda: ops.image.crop_images(IMG, 1, 1, target_height=5, target_width=2),
        ValueError,
        "must be >= 0",
    ),
    (lambda: ops.image.extract_patches_3d(IMG[0, 0], 2), ValueError, "rank 4 or 5"),
    (lambda: ops.image.map_coordinates(A, [[0.5]], order=3), ValueError, "`order` must be 0"),
    (
        lambda: ops.image.map_coordinates(A, [[0.5]], order=1, fill_mode="x"),
        ValueError,
        "`fill_mode`",
    ),
    (lambda: ops.image.map_coordinates(A, [[0.5]], order=1), ValueError, "one array per axis"),
    (lambda: dtype_rules.standardize_dtype("float8"), ValueError, "Invalid dtype"),
    (
        lambda: dtype_rules.result_type("int8", "complex64", "uint16", "bool", "x"),
        ValueError,
        "Invalid dtype",
    ),
    (lambda: tensor_utils.axes(2, 1), ValueError, "out of bounds"),
]


@pytest.mark.parametrize("fn,error,match", CASES, ids=[c[2][:30] for c in CASES])
def test_error_messages(fn, error, match):
    with pytest.raises(error, match=match):
        fn()
