"""The table of `keras.ops` parity cases: each op, its arguments (as input specs) and keyword args.

An input spec is `"<kind><dtype>:<shape>"`: kind `n` normal, `u` uniform in (0.1, 0.9), `s` uniform
in (-0.9, 0.9), `i` integers in [-4, 4], `p` integers in [1, 5], `b` booleans; shape `2,3` (empty
for a scalar array). Anything else (Python numbers, lists, tuples) is passed as is.
"""

from __future__ import annotations

import numpy as np

F = ["nf32:2,3", "nf64:2,1,3", "ii32:3,2", "ii64:5", "nf16:3"]  # any real input
FL = ["nf32:2,3", "nf64:4", "nf16:3"]  # float inputs only (Keras' torch kernels reject integers)
POS = ["uf32:2,3", "pi32:4", "uf64:3", "uf16:2,2"]  # positive domain
UNIT = ["sf32:2,3", "sf64:4"]  # (-1, 1)
BIN = [
    ("nf32:2,3", "nf32:3"),
    ("nf32:2,1", "nf32:1,4"),
    ("ii32:2,3", "nf32:2,1"),
    ("ii8:4", 3),
    ("ii32:4", 2.5),
    ("nf16:3", 2),
    ("pi32:2,2", "pi32:2,2"),
    ("pu8:3", "pi8:3"),
    ("nf64:3", "nf32:3"),
    ("ii64:3", "ii32:3"),
    ("bb:3", "ii32:3"),
    (1.5, "nf32:2"),
]
DIV = [(a, b) for a, b in BIN if not (isinstance(b, str) and b.startswith(("i", "b")))] + [
    ("ii64:3", "pi32:3")
]
INT_BIN = [("pi32:2,3", "pi32:3"), ("pi8:4", 2), ("pu8:3", "pi8:3"), ("bb:3", "bb:3")]
CMP = BIN + [("bb:3", "bb:3")]
RED = [
    ("nf32:2,3,4", {}),
    ("nf32:2,3,4", {"axis": 1}),
    ("nf32:2,3,4", {"axis": (0, 2), "keepdims": True}),
    ("ii32:3,4", {"axis": -1}),
    ("pi8:3,4", {}),
    ("nf64:5", {"axis": 0}),
    ("bb:3,4", {"axis": 0}),
]
FRED = [(s, k) for s, k in RED if not s.startswith("b")]
IMG = "uf32:2,6,8,3"


def cases_for(names, specs) -> list:
    out = []
    for name in names.split():
        for spec in specs:
            if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[1], dict):
                out.append((name, [spec[0]], spec[1]))
            else:
                out.append((name, list(spec) if isinstance(spec, tuple) else [spec], {}))
    return out


CASES = (
    cases_for(
        "abs absolute negative sign square exp exp2 expm1 sin cos tan arctan sinh cosh tanh "
        "arcsinh ceil floor round trunc fabs deg2rad rad2deg cbrt sinc signbit isfinite isinf "
        "isnan isneginf isposinf real conj copy reciprocal rsqrt erf erfc relu relu6 sigmoid "
        "softsign hard_tanh tanh_shrink sparse_plus sparse_sigmoid squareplus ravel ndim size "
        "logical_not nan_to_num",
        F,
    )
    + cases_for(
        "softplus silu swish log_sigmoid hard_sigmoid hard_silu hard_swish selu gelu elu celu "
        "hard_shrink soft_shrink leaky_relu",
        FL,
    )
    + cases_for("sqrt log log10 log1p log2 arccosh i0", POS)
    + cases_for("arcsin arccos arctanh erfinv", UNIT)
    + cases_for(
        "add subtract multiply divide true_divide maximum minimum fmax fmin power arctan2 "
        "logaddexp logaddexp2 hypot heaviside divide_no_nan",
        BIN,
    )
    + cases_for("mod fmod floor_divide", DIV)
    + cases_for("equal not_equal greater greater_equal less less_equal isclose", CMP)
    + cases_for("logical_and logical_or logical_xor", CMP)
    + cases_for("bitwise_and bitwise_or bitwise_xor gcd lcm", INT_BIN[:3] + [("bb:3", "bb:3")][:0])
    + cases_for("bitwise_invert bitwise_not", ["ii32:4", "bb:3"])
    + cases_for("left_shift right_shift", [("pi32:3", "pi32:3"), ("pi8:3", 1)])
    + cases_for("sum prod max min amax amin all any", RED)
    + cases_for("count_nonzero", [("nf32:2,3", {}), ("ii32:4,2", {"axis": 0})])
    + cases_for("mean std var ptp", FRED[:4] + [("nf32:4,3", {"axis": 0})])
    + cases_for("argmax argmin", [s for s in FRED if not isinstance(s[1].get("axis"), tuple)])
    + cases_for("logsumexp", FRED[:3])
    + cases_for("median", [("nf32:3,4", {}), ("nf32:3,4", {"axis": 1, "keepdims": True})])
    + cases_for("nansum nanmean nanmax nanmin nanprod nanstd nanvar nanmedian", FRED[:3])
    + cases_for("nanargmax nanargmin", [("nf32:3,4", {"axis": 1})])
    + cases_for("cumsum cumprod nancumsum nancumprod", [("nf32:2,3", {"axis": 1}), ("ii32:4", {})])
    + cases_for("sort argsort", [("nf32:3,4", {}), ("nf32:3,4", {"axis": 0}), ("ii32:5", {})])
    + cases_for("softmax log_softmax", [("nf32:2,5", {}), ("nf32:2,3,4", {"axis": 1})])
    + cases_for("glu", [("nf32:2,6", {})])
    + cases_for(
        "matmul",
        [
            ("nf32:2,3", "nf32:3,4"),
            ("nf32:2,2,3", "nf32:3"),
            ("ii32:2,3", "ii32:3,2"),
            ("ii8:2,2", "ii8:2,2"),
        ],
    )
    + cases_for(
        "dot",
        [("nf32:2,3", "nf32:3,4"), ("nf32:3", "nf32:3"), ("nf32:3", 2.0), ("ii32:2,3", "ii32:3")],
    )
    + cases_for("vdot inner outer", [("nf32:3", "nf32:3"), ("ii32:4", "ii32:4")])
    + cases_for("kron", [("nf32:2,2", "nf32:2,3")])
    + [
        ("tensordot", ["nf32:2,3,4", "nf32:3,4,5"], {}),
        ("tensordot", ["nf32:2,3", "nf32:3,2"], {"axes": ([1], [0])}),
        ("tensordot", ["nf32:2,3", "nf32:3,2"], {"axes": 1}),
        ("einsum", ["ij,jk->ik", "nf32:2,3", "nf32:3,4"], {}),
        ("einsum", ["bij->bji", "nf32:2,3,4"], {}),
        ("cross", ["nf32:4,3", "nf32:4,3"], {}),
        ("cross", ["nf32:3,2", "nf32:3,2"], {"axis": 0}),
        ("diff", ["nf32:3,5"], {}),
        ("diff", ["nf32:3,5"], {"n": 2, "axis": 0}),
        ("trapezoid", ["nf32:3,5"], {}),
        ("trapezoid", ["nf32:5"], {"dx": 0.5}),
        ("correlate", ["nf32:5", "nf32:3"], {}),
        ("correlate", ["nf32:5", "nf32:3"], {"mode": "same"}),
        ("correlate", ["nf32:5", "nf32:3"], {"mode": "full"}),
        ("corrcoef", ["nf32:3,6"], {}),
        ("trace", ["nf32:3,4"], {}),
        ("trace", ["ii8:3,3"], {"offset": 1}),
        ("clip", ["nf32:2,5", -0.5, 0.5], {}),
        ("clip", ["ii32:6", -1, 2], {}),
        ("clip", ["bb:4", 0, 1], {}),
        ("where", ["bb:2,3", "nf32:2,3", "nf32:3"], {}),
        ("where", ["bb:4", "ii32:4", 0.5], {}),
        ("digitize", ["nf32:6", [-1.0, 0.0, 1.0]], {}),
        ("searchsorted", [[0.0, 1.0, 2.0, 3.0], "nf32:5"], {}),
        ("searchsorted", [[0.0, 1.0, 2.0, 3.0], [1.0, 2.5]], {"side": "right"}),
        ("isin", ["ii32:6", [0, 1, 2]], {}),
        ("bincount", [np.array([0, 1, 1, 3])], {}),
        ("bincount", [np.array([0, 1, 1, 3]), np.array([0.5, 1.0, 2.0, 1.0])], {"minlength": 6}),
        ("quantile", ["nf32:3,5", 0.3], {}),
        ("quantile", ["nf32:3,5", [0.25, 0.75]], {"axis": 1, "keepdims": True}),
        ("quantile", ["nf32:8", 0.5], {"method": "nearest"}),
        ("percentile", ["nf32:3,5", 40.0], {"axis": 0}),
        ("nanquantile", ["nf32:3,5", 0.3], {"axis": 1}),
        ("nanpercentile", ["nf32:3,5", 40.0], {}),
        ("average", ["nf32:3,4"], {}),
        ("average", ["nf32:3,4"], {"axis": 1, "weights": [1.0, 2.0, 3.0, 4.0]}),
        ("average", ["ii32:3,4"], {"axis": 0}),
        ("arange", [5], {}),
        ("arange", [1, 7, 2], {}),
        ("arange", [0.0, 1.0, 0.25], {}),
        ("arange", [3], {"dtype": "float32"}),
        ("linspace", [0.0, 1.0, 5], {}),
        ("linspace", [0, 10, 6], {"endpoint": False}),
        ("linspace", [np.array([0.0, 1.0]), np.array([2.0, 5.0]), 4], {}),
        ("logspace", [0.0, 2.0, 5], {}),
        ("logspace", [0.0, 2.0, 4], {"base": 2.0, "endpoint": False}),
        ("geomspace", [1.0, 1000.0, 4], {}),
        ("eye", [3], {}),
        ("eye", [3, 4], {"k": 1, "dtype": "int32"}),
        ("identity", [3], {}),
        ("tri", [3, 4], {"k": -1}),
        ("zeros", [(2, 3)], {}),
        ("ones", [4], {"dtype": "int32"}),
        ("full", [(2, 2), 7], {}),
        ("full", [(2, 3), 1.5], {"dtype": "float64"}),
        ("zeros_like", ["ii32:2,3"], {}),
        ("ones_like", ["nf32:3"], {"dtype": "int8"}),
        ("full_like", ["nf32:2,2", 3], {}),
        ("full_like", ["ii32:2,2", 2.5], {}),
        ("array", [[1, 2, 3]], {}),
        ("array", [[1.0, 2.0]], {"dtype": "float64"}),
        ("diag", ["nf32:3"], {}),
        ("diag", ["nf32:3,3"], {"k": 1}),
        ("diagflat", ["nf32:2,2"], {}),
        ("diagonal", ["nf32:3,4"], {"offset": 1}),
        ("diagonal", ["nf32:2,3,3"], {"axis1": 1, "axis2": 2}),
        ("vander", ["nf32:4"], {}),
        ("vander", ["ii32:3"], {"N": 4, "increasing": True}),
        ("tril", ["nf32:3,3"], {}),
        ("triu", ["nf32:2,3,3"], {"k": 1}),
        ("reshape", ["nf32:2,6"], {"newshape": (3, -1)}),
        ("transpose", ["nf32:2,3,4"], {}),
        ("transpose", ["nf32:2,3,4"], {"axes": (1, 0, 2)}),
        ("swapaxes", ["nf32:2,3,4", 0, 2], {}),
        ("moveaxis", ["nf32:2,3,4", 0, -1], {}),
        ("moveaxis", ["nf32:2,3,4", [0, 1], [2, 0]], {}),
        ("expand_dims", ["nf32:2,3", 1], {}),
        ("expand_dims", ["nf32:2,3", -1], {}),
        ("squeeze", ["nf32:1,3,1"], {}),
        ("squeeze", ["nf32:1,3,1"], {"axis": -1}),
        ("broadcast_to", ["nf32:3", (2, 3)], {}),
        ("concatenate", [["nf32:2,3", "nf32:1,3"]], {}),
        ("concatenate", [["nf32:2,3", "ii32:2,2"]], {"axis": 1}),
        ("append", ["nf32:2,3", "nf32:2,3"], {}),
        ("append", ["nf32:2,3", "nf32:2,3"], {"axis": 1}),
        ("stack", [["nf32:2,3", "nf32:2,3"]], {"axis": 1}),
        ("hstack", [["nf32:2,3", "nf32:2,1"]], {}),
        ("vstack", [["nf32:3", "nf32:3"]], {}),
        ("dstack", [["nf32:2,3", "nf32:2,3"]], {}),
        ("split", ["nf32:6,2", 3], {}),
        ("split", ["nf32:6,2", [1, 4]], {}),
        ("array_split", ["nf32:7", 3], {}),
        ("hsplit", ["nf32:2,4", 2], {}),
        ("vsplit", ["nf32:4,2", 2], {}),
        ("dsplit", ["nf32:2,2,4", 2], {}),
        ("unstack", ["nf32:3,2"], {}),
        ("unstack", ["nf32:3,2"], {"axis": 1}),
        ("tile", ["nf32:2,3", (2, 1)], {}),
        ("tile", ["nf32:3", 2], {}),
        ("repeat", ["nf32:2,3", 2], {}),
        ("repeat", ["nf32:2,3", 2], {"axis": 1}),
        ("repeat", ["nf32:2,3", np.array([1, 2])], {"axis": 0}),
        ("flip", ["nf32:2,3"], {}),
        ("flip", ["nf32:2,3"], {"axis": 1}),
        ("fliplr", ["nf32:2,3"], {}),
        ("flipud", ["nf32:2,3"], {}),
        ("roll", ["nf32:2,3", 1], {}),
        ("roll", ["nf32:2,3", -1], {"axis": 1}),
        ("rot90", ["nf32:2,3"], {}),
        ("rot90", ["nf32:2,3,4"], {"k": 2, "axes": (1, 2)}),
        ("pad", ["nf32:2,3", ((1, 2), (0, 1))], {}),
        ("pad", ["nf32:2,3", ((1, 1), (2, 0))], {"constant_values": 5.0}),
        ("pad", ["nf32:2,3,4", ((0, 0), (1, 1), (2, 2))], {"mode": "reflect"}),
        ("take", ["nf32:3,4", [0, 2]], {}),
        ("take", ["nf32:3,4", [[0, -1], [1, 1]]], {"axis": 1}),
        ("take", ["nf32:3,4", [1, 0]], {"axis": 0}),
        ("take_along_axis", ["nf32:3,4", [[0], [3], [1]]], {"axis": 1}),
        ("get_item", ["nf32:3,4", 1], {}),
        ("meshgrid", ["nf32:3", "nf32:2"], {}),
        ("meshgrid", ["nf32:3", "nf32:2"], {"indexing": "ij"}),
        ("nonzero", ["ii32:3,4"], {}),
        ("unravel_index", [[1, 5, 7], (2, 4)], {}),
        ("select", [["bb:4", "bb:4"], ["nf32:4", "nf32:4"]], {}),
        ("unique", [[3, 1, 2, 3, 1]], {}),
        ("unique", [[3, 1, 2, 3, 1]], {"return_counts": True, "return_inverse": True}),
        ("histogram", ["nf32:20"], {"bins": 4, "range": (-2.0, 2.0)}),
        ("allclose", ["nf32:3", "nf32:3"], {}),
        ("ldexp", ["nf32:3", [1, 2, -1]], {}),
        ("nextafter", ["nf32:3", "nf32:3"], {}),
        ("hamming", [5], {}),
        ("hanning", [5], {}),
        ("blackman", [6], {}),
        ("bartlett", [5], {}),
        ("kaiser", [6, 2.0], {}),
        ("angle", ["nf32:4"], {}),
        ("isreal", ["nf32:4"], {}),
        ("view", ["nf32:4", "int32"], {}),
        ("threshold", ["nf32:2,3", 0.1, -1.0], {}),
        ("gelu", ["nf32:2,3"], {"approximate": False}),
        ("leaky_relu", ["nf32:2,3"], {"negative_slope": 0.1}),
        ("elu", ["nf32:2,3"], {"alpha": 0.5}),
        ("one_hot", [[0, 2, -1, 1], 3], {}),
        ("one_hot", [[[0, 1], [2, 0]], 3], {"axis": 1, "dtype": "int32"}),
        ("multi_hot", [[0, 4], 5], {}),
        ("multi_hot", [[[0, 1], [2, 2]], 4], {}),
        ("moments", ["nf32:4,3", [0]], {}),
        ("moments", ["nf32:2,3,4", [0, 1]], {"keepdims": True}),
        ("moments", ["nf16:4,3", [0]], {}),
        ("batch_normalization", ["nf32:4,3", "nf32:3", "uf32:3", -1], {}),
        (
            "batch_normalization",
            ["nf32:2,3,5", "nf32:3", "uf32:3", 1, "nf32:3", "nf32:3"],
            {"epsilon": 0.01},
        ),
        ("layer_normalization", ["nf32:2,5"], {}),
        ("layer_normalization", ["nf32:2,3,4", "nf32:4", "nf32:4"], {"epsilon": 1e-3}),
        ("layer_normalization", ["nf32:2,3,4"], {"axis": [1, 2]}),
        ("rms_normalization", ["nf32:2,5"], {}),
        ("rms_normalization", ["nf32:2,3,4", "nf32:4"], {"epsilon": 1e-3}),
        ("normalize", ["nf32:2,5"], {}),
        ("normalize", ["nf32:2,5"], {"axis": 0, "order": 1}),
        ("psnr", ["uf32:4,4", "uf32:4,4", 1.0], {}),
        ("binary_crossentropy", ["bf32:2,3", "uf32:2,3"], {}),
        ("binary_crossentropy", ["bf32:2,3", "nf32:2,3"], {"from_logits": True}),
        ("categorical_crossentropy", [[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "uf32:2,3"], {}),
        (
            "categorical_crossentropy",
            [[[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "nf32:2,3"],
            {"from_logits": True},
        ),
        ("sparse_categorical_crossentropy", [[1, 0], "uf32:2,3"], {}),
        ("sparse_categorical_crossentropy", [[[1], [2]], "nf32:2,3"], {"from_logits": True}),
        (
            "sparse_categorical_crossentropy",
            [[[1, 0]], "nf32:1,3,2"],
            {"from_logits": True, "axis": 1},
        ),
        ("ctc_loss", [[[1, 2, 0], [2, 0, 0]], "nf32:2,6,4", [2, 1], [6, 5]], {}),
        ("ctc_decode", ["nf32:2,6,4", [6, 4]], {}),
        ("dot_product_attention", ["nf32:2,5,2,4", "nf32:2,6,2,4", "nf32:2,6,2,4"], {}),
        (
            "dot_product_attention",
            ["nf32:1,4,4,2", "nf32:1,4,2,2", "nf32:1,4,2,2"],
            {"is_causal": True},
        ),
        (
            "dot_product_attention",
            ["nf32:1,3,2,4", "nf32:1,3,2,4", "nf32:1,3,2,4"],
            {"mask": [[[[True, False, True]]]], "scale": 0.3},
        ),
        (
            "dot_product_attention",
            ["nf32:1,3,2,4", "nf32:1,3,2,4", "nf32:1,3,2,4"],
            {"bias": "nf32:1,2,3,3"},
        ),
        ("conv", ["nf32:2,7,3", "nf32:3,3,4"], {}),
        ("conv", ["nf32:2,6,6,3", "nf32:3,3,3,4"], {"strides": 2, "padding": "same"}),
        ("conv", ["nf32:1,5,5,4", "nf32:3,3,2,4"], {"padding": "same", "dilation_rate": 2}),
        ("conv", ["nf32:1,3,5,5", "nf32:2,2,3,2"], {"data_format": "channels_first"}),
        ("conv", ["nf32:1,4,4,4,2", "nf32:2,2,2,2,3"], {"padding": "same"}),
        ("depthwise_conv", ["nf32:2,6,6,3", "nf32:3,3,3,2"], {"padding": "same"}),
        ("depthwise_conv", ["nf32:2,8,3", "nf32:3,3,1"], {"strides": 2}),
        ("separable_conv", ["nf32:1,6,6,3", "nf32:3,3,3,2", "nf32:1,1,6,4"], {"padding": "same"}),
        ("conv_transpose", ["nf32:1,4,4,3", "nf32:3,3,2,3"], {"strides": 2, "padding": "same"}),
        ("conv_transpose", ["nf32:1,4,4,3", "nf32:3,3,2,3"], {"strides": 2}),
        ("conv_transpose", ["nf32:1,5,3", "nf32:4,2,3"], {"strides": 3, "padding": "same"}),
        (
            "conv_transpose",
            ["nf32:1,3,4,4", "nf32:2,2,2,3"],
            {"strides": 2, "data_format": "channels_first"},
        ),
        ("conv_transpose", ["nf32:1,4,3", "nf32:3,2,3"], {"strides": 2, "output_padding": 1}),
        ("max_pool", ["nf32:2,6,6,3", 2], {}),
        ("max_pool", ["nf32:2,7,3", 3], {"strides": 1, "padding": "same"}),
        ("max_pool", ["nf32:1,2,6,6", (2, 3)], {"data_format": "channels_first"}),
        ("average_pool", ["nf32:2,6,6,3", 2], {}),
        ("average_pool", ["nf32:2,7,7,3", 3], {"strides": 1, "padding": "same"}),
        ("average_pool", ["nf32:1,4,4,4,2", 2], {}),
        ("adaptive_average_pool", ["nf32:2,6,6,3", 2], {}),
        ("adaptive_max_pool", ["nf32:2,7,3", 3], {}),
        ("unfold", ["nf32:1,2,4,4", 2], {}),
        ("fold", ["nf32:1,8,9", (4, 4), 2], {}),
        ("depth_to_space", ["nf32:1,2,2,8", 2], {}),
        ("depth_to_space", ["nf32:1,8,2,2", 2], {"data_format": "channels_first"}),
        ("space_to_depth", ["nf32:1,4,4,2", 2], {}),
        ("space_to_depth", ["nf32:1,2,4,4", 2], {"data_format": "channels_first"}),
        ("polar", ["uf32:3", "nf32:3"], {}),
        ("segment_sum", ["nf32:6,2", np.array([0, 0, 1, 2, 2, 2])], {}),
        ("segment_sum", ["ii32:5", np.array([1, 0, 1, 3, 0])], {"num_segments": 4}),
        ("segment_max", ["nf32:6", np.array([0, 0, 1, 1, 2, 2])], {}),
        ("segment_min", ["nf32:6,2", np.array([0, 1, 1, 1, 2, 2])], {}),
        ("segment_prod", ["nf32:5", np.array([0, 0, 1, 1, 1])], {}),
        ("top_k", ["nf32:3,6", 2], {}),
        ("in_top_k", [[1, 3], "nf32:2,5", 2], {}),
        ("fft", [("nf32:2,8", "nf32:2,8")], {}),
        ("fft2", [("nf32:2,4,4", "nf32:2,4,4")], {}),
        ("ifft2", [("nf32:4,4", "nf32:4,4")], {}),
        ("rfft", ["nf32:2,8"], {}),
        ("rfft", ["nf32:8"], {"fft_length": 6}),
        ("irfft", [("nf32:2,5", "nf32:2,5")], {}),
        ("stft", ["nf32:2,32", 8, 4, 8], {}),
        ("stft", ["nf32:32", 6, 3, 8], {"window": "hamming", "center": False}),
        ("extract_sequences", ["nf32:2,10", 4, 2], {}),
        ("cdist", ["nf32:3,4", "nf32:5,4"], {}),
        ("view_as_complex", ["nf32:3,2"], {}),
        ("cast", ["nf32:3", "int32"], {}),
        ("cast", ["ii32:3", "float16"], {}),
        ("saturate_cast", [np.array([-300.0, 5.5, 300.0]), "uint8"], {}),
        ("saturate_cast", [np.array([-3e5, 5, 3e5], "int32"), "int16"], {}),
        ("convert_to_tensor", [[1, 2]], {}),
        ("convert_to_tensor", [[1.0, 2.0]], {}),
        ("convert_to_tensor", [3], {}),
        ("convert_to_tensor", ["nf64:2"], {}),
        ("convert_to_tensor", ["nf64:2"], {"dtype": "float32"}),
        ("stop_gradient", ["nf32:3"], {}),
        ("shape", ["nf32:2,3"], {}),
        ("dtype", ["ii8:2"], {}),
        ("slice", ["nf32:4,5", (1, 2), (2, 3)], {}),
        ("slice_update", ["nf32:4,5", (1, 2), "nf32:2,2"], {}),
        ("scatter", [[[0, 1], [2, 0], [0, 1]], [1.0, 2.0, 3.0], (3, 2)], {}),
        ("scatter_update", ["nf32:3,2", [[0, 1], [2, 0]], [5.0, 6.0]], {}),
        ("scatter_update", ["nf32:4,2", [[1], [3]], "nf32:2,2"], {}),
        ("qr", ["nf32:4,3"], {}),
        ("qr", ["nf32:3,4"], {"mode": "complete"}),
        ("inv", ["spd:3"], {}),
        ("solve", ["spd:3", "nf32:3,2"], {}),
        ("det", ["spd:3"], {}),
        ("eigh", ["spd:3"], {}),
        ("cholesky", ["spd:3"], {}),
        ("cholesky_inverse", ["tril:3"], {}),
        ("solve_triangular", ["tril:3", "nf32:3,2"], {"lower": True}),
        ("slogdet", ["spd:3"], {}),
        ("logdet", ["spd:3"], {}),
        ("pinv", ["nf32:3,2"], {}),
        ("matrix_rank", ["spd:3"], {}),
        ("lstsq", ["nf32:4,2", "nf32:4,1"], {}),
        ("svd", ["nf32:3,3"], {"compute_uv": False}),
        ("norm", ["nf32:3,4"], {}),
        ("norm", ["nf32:3,4"], {"axis": 1, "ord": 1}),
        ("norm", ["nf32:3,4"], {"ord": "fro", "axis": (0, 1)}),
        ("norm", ["ii32:5"], {"ord": np.inf}),
        ("norm", ["nf32:2,3,4"], {"axis": -1, "keepdims": True}),
        ("lu_factor", ["spd:3"], {}),
    ]
)
