"""TensorFlow's string hashes of integers' decimal forms, vectorized on the integers' device.

`Hashing` (and IntegerLookup's `oov_method="farmhash"`) hash an integer as the FarmHash64 (or,
with a salt, SipHash-2-4) of its decimal string. An int64's decimal string has 1 to 20 bytes, so
every element takes one of FarmHash's short-string paths; here all paths run as int64 tensor
arithmetic (two's-complement wrap-around stands in for uint64) and each element picks its
path, with no copy to the host. `fingerprint.py` holds the scalar reference versions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from torchkeras_lite.layers.preprocessing.fingerprint import _K0, _K1, _K2, hash_bucket

_COLS = 20  # an int64's decimal form has at most 20 bytes (19 digits and a sign)


def _s64(v: int) -> int:
    """An unsigned 64-bit constant as the int64 with the same bits."""
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >= 1 << 63 else v


K0, K1, K2 = _s64(_K0), _s64(_K1), _s64(_K2)


def _lsr(x: torch.Tensor, s: int) -> torch.Tensor:
    """Logical (unsigned) right shift of int64 bit patterns."""
    return (x >> s) & ((1 << (64 - s)) - 1)


def _rotr(x: torch.Tensor, s: int) -> torch.Tensor:
    return _lsr(x, s) | (x << (64 - s))


def _rotl(x: torch.Tensor, s: int) -> torch.Tensor:
    return (x << s) | _lsr(x, 64 - s)


class _Decimal:
    """The decimal strings of int64s, right-aligned in `(n, 28)` byte rows (zeros around), with
    every little-endian 8- and 4-byte word precomputed, so each FarmHash read is one column."""

    def __init__(self, x: torch.Tensor):
        x = x.reshape(-1).to(torch.int64)
        neg = x < 0
        digits, ndig, q = [], torch.ones_like(x), x
        for _ in range(19):  # least significant first; trunc division never overflows int64
            nq = torch.div(q, 10, rounding_mode="trunc")
            digits.append((q - nq * 10).abs())
            ndig = ndig + (nq != 0).long()  # a digit is present while the quotient is nonzero
            q = nq
        j = torch.arange(19, device=x.device)
        chars = torch.where(j < ndig.unsqueeze(1), torch.stack(digits, 1) + 48, 0)
        cols = torch.zeros((x.numel(), 28), dtype=torch.int64, device=x.device)
        cols[:, 1:_COLS] = chars.flip(1)  # digit j at column 19 - j
        sign_col = (_COLS - 1 - ndig).unsqueeze(1)
        at_sign = torch.arange(28, device=x.device) == sign_col
        self.bytes = torch.where(at_sign & neg.unsqueeze(1), 45, cols)  # "-"
        self.length = ndig + neg.long()
        self.start = _COLS - self.length  # the column of the first byte
        b = self.bytes
        self.word4 = b[:, :25] | (b[:, 1:26] << 8) | (b[:, 2:27] << 16) | (b[:, 3:28] << 24)
        self.word8 = self.word4[:, :21] | (self.word4[:, 4:25] << 32)

    def _column(self, table: torch.Tensor, offset: torch.Tensor | int) -> torch.Tensor:
        idx = (self.start + offset).clamp(0, table.shape[1] - 1).unsqueeze(1)
        return torch.gather(table, 1, idx).squeeze(1)

    def byte(self, offset: torch.Tensor | int) -> torch.Tensor:
        return self._column(self.bytes, offset)

    def fetch64(self, offset: torch.Tensor | int) -> torch.Tensor:
        return self._column(self.word8, offset)

    def fetch32(self, offset: torch.Tensor | int) -> torch.Tensor:
        return self._column(self.word4, offset)


def _hash_len16(u: torch.Tensor, v: torch.Tensor, mul: torch.Tensor) -> torch.Tensor:
    a = (u ^ v) * mul
    a = a ^ _lsr(a, 47)
    b = (v ^ a) * mul
    b = b ^ _lsr(b, 47)
    return b * mul


def fingerprint64_decimal(x: torch.Tensor) -> torch.Tensor:
    """FarmHash Fingerprint64 of each integer's decimal string, as int64 bit patterns."""
    d = _Decimal(x)
    n = d.length
    mul = K2 + n * 2
    # 1 to 3 bytes
    y = d.byte(0) + (d.byte(n >> 1) << 8)
    z = n + (d.byte(n - 1) << 2)
    h = y * K2 ^ z * K0
    short = (h ^ _lsr(h, 47)) * K2
    # 4 to 7 bytes
    mid = _hash_len16(n + (d.fetch32(0) << 3), d.fetch32(n - 4), mul)
    # 8 to 16 bytes
    a = d.fetch64(0) + K2
    c = d.fetch64(n - 8)
    eight = _hash_len16(_rotr(c, 37) * mul + a, (_rotr(a, 25) + c) * mul, mul)
    # 17 to 20 bytes
    a = d.fetch64(0) * K1
    b = d.fetch64(8)
    c = d.fetch64(n - 8) * mul
    e = d.fetch64(n - 16) * K2
    long = _hash_len16(_rotr(a + b, 43) + _rotr(c, 30) + e, a + _rotr(b + K2, 18) + c, mul)
    out = torch.where(n < 4, short, torch.where(n < 8, mid, torch.where(n <= 16, eight, long)))
    return out.reshape(x.shape)


def siphash_decimal(x: torch.Tensor, key: Sequence[int]) -> torch.Tensor:
    """SipHash-2-4 (keyed by `key`) of each integer's decimal string, as int64 bit patterns."""
    d = _Decimal(x)
    n = d.length
    k0, k1 = _s64(int(key[0])), _s64(int(key[1]))
    v0 = torch.full_like(n, _s64(k0 ^ 0x736F6D6570736575))
    v1 = torch.full_like(n, _s64(k1 ^ 0x646F72616E646F6D))
    v2 = torch.full_like(n, _s64(k0 ^ 0x6C7967656E657261))
    v3 = torch.full_like(n, _s64(k1 ^ 0x7465646279746573))

    def rounds(count, v0, v1, v2, v3):
        for _ in range(count):
            v0 = v0 + v1
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = v2 + v3
            v3 = _rotl(v3, 16) ^ v2
            v0 = v0 + v3
            v3 = _rotl(v3, 21) ^ v0
            v2 = v2 + v1
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)
        return v0, v1, v2, v3

    full = n // 8
    for block in range(3):  # at most 20 bytes: two full blocks and the final one
        word = d.fetch64(8 * block)
        tail = (n - 8 * block).clamp(0, 8)
        keep = torch.where(tail >= 8, -1, (torch.ones_like(n) << (8 * tail)) - 1)
        last = (word & keep) | ((n & 0xFF) << 56)
        is_full, is_last = block < full, full == block
        m = torch.where(is_full, word, last)
        active = is_full | is_last
        u0, u1, u2, u3 = rounds(2, v0, v1, v2, v3 ^ m)
        u0 = u0 ^ m
        v0, v1, v2, v3 = (
            torch.where(active, u, v) for u, v in zip((u0, u1, u2, u3), (v0, v1, v2, v3))
        )
    v0, v1, v2, v3 = rounds(4, v0, v1, v2 ^ 0xFF, v3)
    return (v0 ^ v1 ^ v2 ^ v3).reshape(x.shape)


def unsigned_mod(h: torch.Tensor, n: int) -> torch.Tensor:
    """`h % n` for int64 bit patterns read as uint64."""
    wrap = (1 << 64) % n
    r = torch.remainder(h, n)
    return torch.where(h < 0, torch.remainder(r + wrap, n), r)


def hash_bucket_decimal(x: torch.Tensor, num_buckets: int, salt: Sequence[int] | None = None):
    """TensorFlow's `to_hash_bucket_fast` (or `_strong` with `salt`) of integers' decimal forms."""
    h = fingerprint64_decimal(x) if salt is None else siphash_decimal(x, salt)
    return unsigned_mod(h, num_buckets)


def hash_integer_buckets(
    x: torch.Tensor, num_buckets: int, salt: Sequence[int] | None = None
) -> torch.Tensor:
    """Hash buckets of integers' decimal forms, on `x`'s device.

    On accelerators the vectorized hashes run in place (no host sync). On the CPU each distinct
    value is hashed once in Python, which is faster there for the repetitive ids typical of
    categorical features.
    """
    if x.device.type != "cpu":
        return hash_bucket_decimal(x, num_buckets, salt)
    values = x.reshape(-1).numpy()
    uniq, inverse = np.unique(values, return_inverse=True)
    buckets = np.array([hash_bucket(str(int(v)).encode(), num_buckets, salt) for v in uniq])
    return torch.from_numpy(buckets.astype(np.int64)[inverse].reshape(tuple(x.shape)))
