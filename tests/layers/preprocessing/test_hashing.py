"""Hashing: TensorFlow's FarmHash64 / SipHash64 bins (published vectors and Keras' documented
outputs, since Keras' Hashing needs TensorFlow), masks, output modes, errors."""

import numpy as np
import pytest
import torch

from torchkeras_lite.layers.preprocessing import Hashing
from torchkeras_lite.layers.preprocessing.fingerprint import fingerprint64, siphash64

NAMES = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]
LETTERS = [["A"], ["B"], ["C"], ["D"], ["E"]]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("", 0x9AE16A3B2F90404F),
        ("a", 0xB3454265B6DF75E3),
        ("abcd", 0x1A5502DE4A1F8101),
        ("abcdefgh", 0xFEE9D22990C82909),
        ("0123456789=012345", 0x46A7416ED4861E3B),
        ("C is as portable as Stonehedge!!", 0xB944F8A16261E414),
        ("Discard medicine more than two years old.", 0xE8F89AB6DF9BDD25),
        ("For every action there is an equal and opposite government program.", 0x55182F8859ECA4CE),
        ("The fugacity of a constituent in a mixture of gases at a given temperature is "
         "proportional to its mole fraction.  Lewis-Randall Rule", 0x98EFF6958C5E91A),
    ],
)  # fmt: skip
def test_fingerprint64_matches_farmhash_reference_vectors(text, expected):
    assert fingerprint64(text.encode()) == expected  # every length path: 0-16, 17-32, 33-64, 65+


def test_siphash_matches_the_reference_vectors():
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)
    assert siphash64(key, b"") == 0x726FDB47DD0E0E31
    assert siphash64(key, bytes(range(15))) == 0xA129CA6149BE45E5


@pytest.mark.parametrize(
    "kwargs,inputs,expected",
    [
        ({}, LETTERS, [1, 0, 1, 1, 2]),
        ({"mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]], [1, 1, 0, 2, 2]),
        ({"salt": [133, 137]}, LETTERS, [1, 2, 1, 0, 2]),
        ({"salt": 133}, LETTERS, [0, 0, 2, 1, 0]),
        ({}, [[0], [1], [2], [3], [4]], [1, 0, 1, 0, 2]),
        ({"salt": [133, 137]}, [[0], [1], [2], [3], [4]], [1, 1, 2, 0, 1]),
    ],
)
def test_hashing_matches_keras_documented_bins(kwargs, inputs, expected):
    out = Hashing(num_bins=3, **kwargs)(np.asarray(inputs))
    assert out.dtype == torch.int64 and out.reshape(-1).tolist() == expected


def test_hashing_string_forms_masks_and_salts():
    assert Hashing(2)(NAMES).reshape(-1).tolist() == [0, 0, 1, 0, 0]
    assert Hashing(2)([n[0] for n in NAMES]).tolist() == [0, 0, 1, 0, 0]
    assert Hashing(3, mask_value="omar")(NAMES).reshape(-1).tolist() == [0, 1, 2, 1, 1]
    assert Hashing(2, salt=[211, 137])(NAMES).reshape(-1).tolist() == [1, 0, 1, 0, 1]
    assert Hashing(1)(NAMES).reshape(-1).tolist() == [0] * 5
    assert int(Hashing(3)("A")) == 1 and Hashing(3)(b"A").dim() == 0


def test_hashing_numbers_on_tensors_floats_and_int32_outputs():
    x = torch.tensor([[0, 1], [2, 0]])
    assert Hashing(3)(x).tolist() == [[1, 0], [1, 1]]
    assert Hashing(3)(torch.tensor([[0.7, 1.2]])).tolist() == [[1, 0]]  # floats truncate
    out = Hashing(3, dtype="int32")(x)
    assert out.dtype == torch.int32
    masked = Hashing(3, mask_value=0)(x)
    assert masked[0, 0] == 0 and masked[1, 1] == 0 and masked[0, 1] > 0


def test_hashing_output_modes():
    x = np.array([0, 1, 2, 3, 4])
    one_hot = Hashing(3, output_mode="one_hot")(x)
    assert one_hot.dtype == torch.float32 and one_hot.argmax(-1).tolist() == [1, 0, 1, 0, 2]
    assert Hashing(3, output_mode="multi_hot")(x[None]).tolist() == [[1.0, 1.0, 1.0]]
    assert Hashing(3, output_mode="count")(x[None]).tolist() == [[2.0, 2.0, 1.0]]
    layer = Hashing(3, output_mode="count")
    assert layer.compute_output_shape((None, 5)) == (None, 3)
    assert Hashing(3, output_mode="one_hot").compute_output_shape((4, 1)) == (4, 3)
    assert Hashing.from_config(layer.get_config()).get_config() == layer.get_config()


def test_hashing_errors():
    with pytest.raises(ValueError, match="cannot be `None` or non-positive.*num_bins=0"):
        Hashing(0)
    with pytest.raises(ValueError, match="`dtype` should be an integer type.*dtype=float32"):
        Hashing(3, dtype="float32")
    with pytest.raises(ValueError, match="Invalid value for argument `output_mode`.*=bad"):
        Hashing(3, output_mode="bad")
    with pytest.raises(ValueError, match="Received: sparse=True"):
        Hashing(3, output_mode="count", sparse=True)
    with pytest.raises(ValueError, match=r"salt.*tuple of size 2.*Received: salt=\[1\]"):
        Hashing(3, salt=[1])


def test_vectorized_integer_hashes_match_the_scalar_reference():
    from torchkeras_lite.layers.preprocessing import fingerprint_tensor as ft

    rng = np.random.default_rng(0)
    values = [0, 1, -1, 2**63 - 1, -(2**63)] + [
        s * (10**e + d) for e in range(19) for d in (-1, 0, 7) for s in (1, -1)
    ]
    values += rng.integers(-(2**63), 2**63 - 1, 300, dtype=np.int64).tolist()
    values = [v for v in values if -(2**63) <= v < 2**63]
    x = torch.tensor(values, dtype=torch.int64)
    farm = ft.fingerprint64_decimal(x).numpy().view(np.uint64)
    assert farm.tolist() == [fingerprint64(str(v).encode()) for v in values]
    sip = ft.siphash_decimal(x, (133, 137)).numpy().view(np.uint64)
    assert sip.tolist() == [siphash64((133, 137), str(v).encode()) for v in values]
    buckets = ft.hash_bucket_decimal(x, 1000003).tolist()
    assert buckets == [fingerprint64(str(v).encode()) % 1000003 for v in values]
    assert torch.equal(ft.hash_integer_buckets(x, 7), ft.hash_bucket_decimal(x, 7))
