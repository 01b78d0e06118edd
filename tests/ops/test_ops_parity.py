"""Every op against Keras 3's `keras.ops` (torch backend) on the same random inputs: values and dtypes."""

from __future__ import annotations

import re
import zlib

import numpy as np
import pytest
import torch

from tests.ops.parity_cases import CASES, IMG
from torchkeras_lite import ops

keras = pytest.importorskip("keras")

_SPEC = re.compile(r"^([nuspib])([a-z]+\d*):([\d,]*)$")


def make(spec, rng: np.random.Generator):
    """Builds one argument from its spec (see parity_cases); containers are built element-wise."""
    if isinstance(spec, list):
        return [make(s, rng) for s in spec]
    if isinstance(spec, tuple):
        return tuple(make(s, rng) for s in spec)
    if not isinstance(spec, str):
        return spec
    if spec.startswith(("spd:", "tril:")):
        n = int(spec.split(":")[1])
        a = rng.normal(size=(n, n)).astype("float32")
        if spec.startswith("spd"):
            return (a @ a.T + n * np.eye(n)).astype("float32")
        return (np.tril(a) + n * np.eye(n)).astype("float32")
    m = _SPEC.match(spec)
    if m is None:
        return spec
    kind, code, dims = m.groups()
    shape = tuple(int(d) for d in dims.split(",") if d)
    dtype = {"f": "float", "i": "int", "u": "uint", "b": "bool"}[code[0]] + code[1:]
    dtype = "bool" if code == "b" else dtype
    if kind == "n":
        values = rng.normal(size=shape)
    elif kind == "u":
        values = rng.uniform(0.1, 0.9, size=shape)
    elif kind == "s":
        values = rng.uniform(-0.9, 0.9, size=shape)
    elif kind == "i":
        values = rng.integers(-4, 5, size=shape)
    elif kind == "p":
        values = rng.integers(1, 6, size=shape)
    else:
        values = rng.integers(0, 2, size=shape)
    return np.asarray(values).astype(dtype)


def as_torch(x):
    """Keras' torch backend wants tensors in some ops; we are fed the numpy arrays themselves."""
    if isinstance(x, np.ndarray):
        return torch.from_numpy(x.copy())  # Keras may write into its inputs (affine_transform)
    if isinstance(x, dict):
        return {k: as_torch(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(as_torch(v) for v in x)
    return x


def as_numpy(x) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu()
        if x.is_complex():
            x = torch.view_as_real(x)
        return (x.float() if x.dtype == torch.bfloat16 else x).numpy()
    return np.asarray(x)


def dtype_of(x) -> str:
    return str(x.dtype).replace("torch.", "") if hasattr(x, "dtype") else type(x).__name__


def assert_same(ours, theirs, where: str) -> None:
    if isinstance(theirs, torch.Tensor) and isinstance(ours, (tuple, list)) and theirs.ndim >= 1:
        ours = torch.stack(list(ours)) if ours else ours  # nonzero/where: tuple vs stacked tensor
    if isinstance(theirs, (tuple, list)) and not isinstance(ours, (tuple, list)):
        raise AssertionError(f"{where}: expected a sequence of {len(theirs)}, got {type(ours)}")
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs), f"{where}: {len(ours)} outputs != {len(theirs)}"
        for i, (a, b) in enumerate(zip(ours, theirs)):
            assert_same(a, b, f"{where}[{i}]")
        return
    if isinstance(theirs, torch.Tensor):
        assert isinstance(ours, torch.Tensor), f"{where}: returned {type(ours).__name__}"
        assert dtype_of(ours) == dtype_of(theirs), f"{where}: dtype {ours.dtype} != {theirs.dtype}"
    a, b = as_numpy(ours), as_numpy(theirs)
    assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        rtol = 1e-2 if dtype_of(theirs) in ("float16", "bfloat16") else 1e-5
        np.testing.assert_allclose(
            a, b, atol=1e-5 if rtol < 1e-2 else 1e-2, rtol=rtol, err_msg=where
        )
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def _resolve(name: str):
    for space in (ops, ops.nn, ops.linalg, ops.numpy, ops.image):
        if hasattr(space, name):
            return getattr(space, name), getattr(
                next(
                    s
                    for s in (keras.ops, keras.ops.nn, keras.ops.linalg, keras.ops.image)
                    if hasattr(s, name)
                ),
                name,
            )
    raise AttributeError(name)


@pytest.mark.parametrize(
    "name,specs,kwargs",
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_parity(name, specs, kwargs):
    seed = zlib.crc32(f"{name}{specs}{kwargs}".encode())
    args = make(list(specs), np.random.default_rng(seed))
    kwargs = {k: make(v, np.random.default_rng(seed + 1)) for k, v in kwargs.items()}
    ours_fn, theirs_fn = _resolve(name)
    with torch.no_grad():
        theirs = theirs_fn(*as_torch(args), **as_torch(kwargs))
        ours = ours_fn(*args, **kwargs)
    assert_same(ours, theirs, name)


def _t(row: list) -> np.ndarray:
    return np.tile(np.asarray(row, "float32"), (2, 1))


IMAGE_CASES = [
    ("resize", [IMG, (3, 4)], {}),
    ("resize", [IMG, (9, 5)], {"interpolation": "nearest"}),
    ("resize", [IMG, (4, 4)], {"interpolation": "bicubic", "antialias": True}),
    ("resize", [IMG, (4, 4)], {"crop_to_aspect_ratio": True}),
    ("resize", [IMG, (4, 4)], {"pad_to_aspect_ratio": True, "fill_value": 0.5}),
    ("resize", ["uf32:3,6,8", (3, 4)], {"data_format": "channels_first"}),
    ("affine_transform", [IMG, _t([1.0, 0.1, 0.5, -0.1, 1.0, 0.2, 0.0, 0.0])], {}),
    (
        "affine_transform",
        [IMG, _t([0.9, 0.0, 1.0, 0.0, 1.1, -1.0, 0.0, 0.0])],
        {"fill_mode": "nearest"},
    ),
    (
        "affine_transform",
        [IMG, _t([1.0, 0, 2.0, 0, 1.0, 1.0, 0, 0])],
        {"interpolation": "nearest", "fill_mode": "reflect"},
    ),
    (
        "affine_transform",
        [IMG, _t([1.0, 0.0, -3.0, 0.0, 1.0, 2.0, 0.0, 0.0])],
        {"fill_mode": "wrap"},
    ),
    ("affine_transform", [IMG, _t([1.0, 0.2, -1.0, 0.1, 0.9, 0.5, 0, 0])], {"fill_mode": "mirror"}),
    ("affine_transform", [IMG, _t([1.1, 0.2, -2.0, 0.1, 0.9, 0.5, 0, 0])], {"fill_value": 0.3}),
    ("affine_transform", ["pu8:5,6,2", [1.0, 0, 0.3, 0, 1.0, 1.2, 0, 0]], {}),
    ("map_coordinates", ["nf32:5,6", [np.array([[0.5, 4.2]]), np.array([[-0.5, 2.7]])], 1], {}),
    ("map_coordinates", ["nf32:5", [np.array([-3.2, 0.4, 7.6])], 1], {"fill_mode": "reflect"}),
    ("map_coordinates", ["nf32:5", [np.array([-3.2, 0.4, 7.6])], 0], {"fill_mode": "wrap"}),
    ("map_coordinates", ["nf32:5", [np.array([-3.2, 0.4, 7.6])], 1], {"fill_mode": "mirror"}),
    ("rgb_to_grayscale", [IMG], {}),
    ("rgb_to_hsv", [IMG], {}),
    ("hsv_to_rgb", [IMG], {}),
    ("pad_images", [IMG, 1, 2], {"target_height": 9, "target_width": 11}),
    ("crop_images", [IMG, 1, 2], {"target_height": 3, "target_width": 4}),
    ("extract_patches", [IMG, 2], {}),
    ("extract_patches", [IMG, (3, 2)], {"strides": 1, "padding": "same"}),
    ("extract_patches", [IMG, 2], {"strides": 1, "dilation_rate": 2}),
    ("extract_patches", ["uf32:2,3,6,8", 3], {"strides": 2, "data_format": "channels_first"}),
    ("extract_patches_3d", ["uf32:1,4,5,6,2", 2], {}),
    ("extract_patches_3d", ["uf32:4,5,6,2", (2, 3, 2)], {"strides": 1, "padding": "same"}),
]


@pytest.mark.parametrize("name,specs,kwargs", IMAGE_CASES, ids=[c[0] for c in IMAGE_CASES])
def test_image_parity(name, specs, kwargs):
    rng = np.random.default_rng(zlib.crc32(f"{name}{specs}{kwargs}".encode()))
    args = make(list(specs), rng)
    theirs = getattr(keras.ops.image, name)(*as_torch(args), **kwargs)
    ours = getattr(ops.image, name)(*args, **kwargs)
    assert_same(ours, theirs, name)
