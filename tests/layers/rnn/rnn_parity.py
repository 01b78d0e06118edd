"""Parity helpers for the recurrent tests: the same layer in Keras 3 and here, same weights."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

POST_MASK = np.array(
    [[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0], [1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]], dtype=bool
)
PRE_MASK = POST_MASK[:, ::-1].copy()
ARBITRARY_MASK = np.array(
    [[1, 0, 1, 1, 0, 1], [0, 1, 1, 0, 1, 0], [0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 0]], dtype=bool
)


def flat(x: Any) -> list:
    if isinstance(x, (list, tuple)):
        return [leaf for e in x for leaf in flat(e)]
    return [x]


def to_numpy(x: Any) -> np.ndarray:
    if isinstance(x, torch.Tensor):
        return x.detach().cpu().numpy()
    import keras

    return keras.ops.convert_to_numpy(x)


def to_torch(x: Any) -> Any:
    if isinstance(x, (list, tuple)):
        return [to_torch(e) for e in x]
    return torch.as_tensor(x) if isinstance(x, np.ndarray) else x


def twin(ours: Any, theirs: Any, x: np.ndarray) -> None:
    """Builds both layers on `x` and copies our weights into Keras' (shapes must agree)."""
    ours(torch.from_numpy(x))
    theirs(x)
    mine = ours.get_weights()
    assert [w.shape for w in mine] == [w.shape for w in theirs.get_weights()]
    theirs.set_weights(mine)


def assert_parity(
    ours: Any,
    theirs: Any,
    x: np.ndarray,
    atol: float = 1e-5,
    modes: tuple = (False, True),
    **call_kwargs: Any,
) -> list:
    """Both layers agree on `x` (and numpy `call_kwargs`) in inference and training mode."""
    outputs = []
    for training in modes:
        expected = flat(theirs(x, training=training, **call_kwargs))
        torch_kwargs = {k: to_torch(v) for k, v in call_kwargs.items()}
        got = flat(ours(torch.from_numpy(x), training=training, **torch_kwargs))
        assert len(got) == len(expected)
        for i, (g, e) in enumerate(zip(got, expected)):
            np.testing.assert_allclose(
                to_numpy(g), to_numpy(e), atol=atol, rtol=1e-5, err_msg=f"output {i}"
            )
        outputs.append(got)
    return outputs
