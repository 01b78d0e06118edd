"""The training half of `Model`: compile, fit, evaluate, predict (being written by the lead)."""

from __future__ import annotations


class Trainer:
    """Mixed into `Model`: `compile`, `fit`, `evaluate`, `predict` and the step functions."""
