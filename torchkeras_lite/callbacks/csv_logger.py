"""`CSVLogger`: writes every epoch's logs as a row of a CSV file."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable
from typing import IO, Any

import numpy as np

from torchkeras_lite.callbacks.callback import Callback
from torchkeras_lite.distribution.process_group import is_chief


def _cell(value: Any) -> Any:
    """A CSV cell as Keras writes it: strings and numbers as they are, sequences as `"[a, b]"`."""
    if isinstance(value, str):
        return value
    if isinstance(value, Iterable) and not (isinstance(value, np.ndarray) and value.ndim == 0):
        return f'"[{", ".join(map(str, value))}]"'
    return value


class CSVLogger(Callback):
    """Streams the epoch results of `fit` to a CSV file.

    The columns are `epoch` then the log names in sorted order; when the first epoch has no
    validation metrics, a `val_<name>` column is added for each name anyway (filled with `NA`).
    Rows end with `\\r\\n`, as the `csv` module's default dialect writes them. Under a
    distribution only rank 0 writes the file (every process logs the same, all-reduced values).

    Args:
        filename: the path of the CSV file.
        separator: the character that separates the cells.
        append: append to an existing file (writing the header only if the file is empty)
            instead of overwriting it.

    Example:
        >>> import os, tempfile
        >>> path = os.path.join(tempfile.mkdtemp(), "log.csv")
        >>> logger = CSVLogger(path)
        >>> logger.on_train_begin()
        >>> logger.on_epoch_end(0, {"loss": 0.5, "val_loss": 0.75})
        >>> logger.on_train_end()
        >>> open(path, newline="").read()
        'epoch,loss,val_loss\\r\\n0,0.5,0.75\\r\\n'
    """

    def __init__(self, filename: str | os.PathLike, separator: str = ",", append: bool = False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer: csv.DictWriter | None = None
        self.keys: list[str] | None = None
        self.append_header = True
        self.csv_file: IO[str] | None = None
        self._writes = True

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._writes = is_chief()
        if not self._writes:
            return
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename, newline="") as f:
                    self.append_header = not f.readline()
            mode = "a"
        else:
            mode = "w"
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.csv_file = open(self.filename, mode, newline="")  # closed at train end
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if not self._writes:
            return
        logs = logs or {}
        if self.csv_file is None or self.csv_file.closed:
            raise ValueError(
                "CSVLogger writes rows between `on_train_begin` and `on_train_end`; the file is "
                f"not open. Received: filename={self.filename!r}"
            )
        if self.keys is None:
            self.keys = sorted(logs)
            if self.keys and not any(key.startswith("val_") for key in self.keys):
                self.keys.extend(f"val_{key}" for key in list(self.keys))
        if self.writer is None:
            dialect = type("CSVLoggerDialect", (csv.excel,), {"delimiter": self.sep})
            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch", *self.keys], dialect=dialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((key, _cell(logs.get(key, "NA"))) for key in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.csv_file is not None and not self.csv_file.closed:
            self.csv_file.close()
        self.writer = None
