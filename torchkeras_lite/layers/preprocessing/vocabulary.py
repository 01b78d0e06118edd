"""The vocabulary half of the lookup layers: setting it, adapting it, reading it back."""

from __future__ import annotations

import collections
from collections.abc import Iterable
from typing import Any

import numpy as np
import torch


class VocabularyMixin:
    """Vocabulary state of `IndexLookup`: tokens, IDF weights, token counts for `adapt`.

    Subclasses provide `_to_token`, `_build_tables` and `_batch_rows`, and the attributes set by
    `IndexLookup.__init__` (`mask_token`, `oov_token`, `num_oov_indices`, `output_mode`, ...).
    """

    # ------------------------------------------------------------------------------------------
    # Hooks for the subclasses.
    def _to_token(self, value: Any) -> Any:
        return value

    def _build_tables(self) -> None:
        """Rebuilds the lookup structures after the vocabulary changed."""

    def _read_vocabulary_file(self, path: str) -> list[Any]:
        with open(path, encoding=getattr(self, "encoding", "utf-8")) as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        return [self._to_token(line) for line in lines]

    # ------------------------------------------------------------------------------------------
    # Vocabulary.
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The vocabulary size, including the mask and OOV indices."""
        return self._token_start_index() + len(self._vocab)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The vocabulary; with special tokens, a token's position equals its index."""
        if not include_special_tokens:
            return list(self._vocab)
        specials = [self.oov_token] * self._token_start_index()
        if self._oov_start_index():
            specials[0] = self.mask_token
        return specials + list(self._vocab)

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and, in `"tf_idf"` mode, the IDF weights) directly.

        Args:
            vocabulary: a list / tuple / 1D array / tensor of tokens, optionally starting with the
                mask and OOV tokens in their layout order, or a path to a file with one token
                per line.
            idf_weights: the inverse document frequencies, one per vocabulary entry (required in
                `"tf_idf"` mode, not allowed otherwise).
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(
                f"`idf_weights` must be set if output_mode is 'tf_idf'. Received: idf_weights={idf_weights}"
            )
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError(
                    "output_mode `'tf_idf'` does not support loading a vocabulary from file. "
                    f"Received: vocabulary={vocabulary!r}"
                )
            try:
                vocabulary = self._read_vocabulary_file(vocabulary)
            except FileNotFoundError:
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.") from None
        if isinstance(vocabulary, torch.Tensor):
            vocabulary = vocabulary.detach().cpu().numpy()
        vocabulary = [self._to_token(v) for v in np.asarray(vocabulary, dtype=object).reshape(-1)]
        if not vocabulary:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        start = self._token_start_index()
        specials = self.get_vocabulary()[:start] if start else []
        found_specials = start > 0 and vocabulary[:start] == specials
        tokens = vocabulary[start:] if found_specials else vocabulary
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your "
                f"dataset. The repeated terms are: {repeated}"
            )
        for role, token in (("mask_token", self.mask_token), ("oov_token", self.oov_token)):
            if token is None or token not in tokens or (role == "oov_token" and not self.invert):
                continue
            raise ValueError(
                "Found reserved token at unexpected location in `vocabulary`. Note that passed "
                "`vocabulary` does not need to include the OOV and mask tokens. Either remove all "
                "mask and OOV tokens, or include them only at the start of the vocabulary in "
                f"precisely this order: {specials}. Received: {role}={token} at vocabulary index "
                f"{len(vocabulary) - 1 - vocabulary[::-1].index(token)}"
            )
        if self.max_tokens is not None and start + len(tokens) > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received "
                f"vocabulary size is {start + len(tokens)}; `max_tokens` is {self.max_tokens}."
            )
        idf = None
        if idf_weights is not None:
            idf = np.asarray(
                idf_weights.detach().cpu()
                if isinstance(idf_weights, torch.Tensor)
                else idf_weights,
                dtype=np.float32,
            )
            if idf.ndim != 1 or len(idf) != len(vocabulary):
                raise ValueError(
                    "`idf_weights` must be a 1D array of the same length as vocabulary. "
                    f"Received: len(idf_weights)={idf.size}; len(vocabulary)={len(vocabulary)}"
                )
            if not found_specials:  # OOV slots take the mean weight
                idf = np.concatenate([np.full(start, np.mean(idf), np.float32), idf])
        self._assign(tokens, idf)

    def _assign(self, tokens: list[Any], idf: np.ndarray | None) -> None:
        size = self._token_start_index() + len(tokens)
        fixed = self.output_mode == "int" or self.pad_to_max_tokens
        if not fixed and self._frozen_vocab_size is not None and size != self._frozen_vocab_size:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, the "
                f"vocabulary size cannot be changed after the layer is called. Old vocab size is "
                f"{self._frozen_vocab_size}, new vocab size is {size}"
            )
        self._vocab = tokens
        self._frozen_vocab_size = size
        if idf is not None:
            self._idf = idf
            width = self.max_tokens if self.pad_to_max_tokens else len(idf)
            padded = np.zeros(width, np.float32)
            padded[: len(idf)] = idf
            old = self._buffers.get("_idf_weights")
            weights = torch.from_numpy(padded).to(old.device if old is not None else "cpu")
            self.register_buffer("_idf_weights", weights, persistent=False)
        self._build_tables()

    # ------------------------------------------------------------------------------------------
    # Adapt.
    def reset_state(self) -> None:
        """Forgets the token counts gathered by `update_state`."""
        self._token_counts: collections.Counter = collections.Counter()
        self._document_counts: collections.Counter = collections.Counter()
        self._num_documents = 0

    def update_state(self, data: Any) -> None:
        """Counts the tokens of one batch (each row is a document for TF-IDF)."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via the "
                f"`vocabulary` argument. Received: vocabulary of size {self.vocabulary_size()}"
            )
        rows = self._batch_rows(data)
        for row in rows:
            self._token_counts.update(row)
            if self.output_mode == "tf_idf":
                self._document_counts.update(set(row))
        self._num_documents += len(rows)

    def finalize_state(self) -> None:
        """Builds the vocabulary from the counts: most frequent first, ties by token, descending."""
        counts = self._token_counts
        if self._has_input_vocabulary or not counts:
            return
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        ordered = sorted(counts.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)
        if self.max_tokens:
            ordered = ordered[: self.max_tokens - self._token_start_index()]
        tokens = [t for t, _ in ordered]
        idf = None
        if self.output_mode == "tf_idf":
            docs = np.array([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1.0 + self._num_documents / (1.0 + docs)).astype(np.float32)
            idf = np.concatenate([np.full(self._token_start_index(), idf.mean(), np.float32), idf])
        self._assign(tokens, idf)
        self.reset_state()

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Builds the vocabulary from the tokens in `data`, most frequent first.

        Args:
            data: a list / numpy array / tensor of tokens (each row, or each element of a 1D
                input, is a document), or an iterable of batches such as a DataLoader (each 1D
                batch is one document).
            steps: the number of batches to use from an iterable (default: all).
        """
        self.reset_state()
        if isinstance(data, (list, tuple, np.ndarray, torch.Tensor, str)) or not isinstance(
            data, Iterable
        ):
            arr = np.asarray(data.detach().cpu() if isinstance(data, torch.Tensor) else data)
            self.update_state(arr.reshape(-1, 1) if arr.ndim <= 1 else arr)
        else:
            for i, batch in enumerate(data):
                if steps is not None and i >= steps:
                    break
                self.update_state(batch)
        self.finalize_state()
