"""`Progbar`, the progress bar of `fit` / `evaluate` / `predict` (the API of `keras.utils.Progbar`).

In a terminal (or Jupyter) verbose=1 draws a live `rich` bar; anywhere else, and with verbose=2,
each bar prints one plain line when it finishes, free of control characters, for log files.
Metric values may be torch tensors (possibly on a GPU): they are only read when the bar is drawn,
at most once per `interval` seconds and on the last step.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Iterable, Mapping
from typing import IO, Any

import numpy as np
import torch
from rich.console import Console, Group
from rich.live import Live
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

# The clock of every bar; tests replace it to control throttling.
_now = time.monotonic


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def resolve_verbose(verbose: int | str | bool) -> int:
    """Turns a `verbose` argument into 0, 1 or 2: `"auto"` is 1 in a terminal and 2 otherwise."""
    if verbose == "auto":
        return 1 if _isatty(sys.stdout) else 2
    if isinstance(verbose, (bool, int, np.integer)) and int(verbose) in (0, 1, 2):
        return int(verbose)
    raise ValueError(
        f"`verbose` must be 0 (silent), 1 (progress bar), 2 (one line per epoch) or 'auto'. "
        f"Received: verbose={verbose!r}"
    )


def to_float(value: Any) -> Any:
    """A displayable value: tensors and arrays become their (mean) Python float; others unchanged."""
    if isinstance(value, torch.Tensor):
        value = value.detach()
        if value.numel() != 1:
            value = value.float().mean()
        return value.reshape(()).item()
    if isinstance(value, (np.ndarray, np.generic)):
        return float(np.mean(value))
    return value


def format_value(value: Any) -> str:
    """A metric as Keras shows it: 4 decimals, or scientific notation when its magnitude is <= 1e-3."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"
    return str(value)


def format_eta(seconds: float) -> str:
    """`1:02:03`, `2:05` or `42s`."""
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def format_time_per_unit(seconds: float, unit_name: str) -> str:
    """Keras' duration of one step: `2s/step`, `35ms/step` or `120us/step`."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


def format_rate(seconds: float, unit_name: str) -> str:
    """The speed: `123.4 steps/s`, or `2.5s/step` when a step takes more than a second."""
    if seconds <= 0:
        return f"- {unit_name}s/s"
    if seconds > 1:
        return f"{seconds:.1f}s/{unit_name}"
    return f"{1.0 / seconds:.1f} {unit_name}s/s"


class Progbar:
    """A progress bar with running metrics, drawn with `rich`.

    Args:
        target: the total number of steps, or None when unknown.
        width: the width of the bar, in characters.
        verbose: 0 (silent), 1 (a live bar in a terminal; one line at the end elsewhere),
            2 (one plain line when the bar finishes) or `"auto"` (1 in a terminal, else 2).
        interval: the least time between two redraws, in seconds. Tensor values are read at
            most this often (and at the last step).
        stateful_metrics: names of the metrics shown as given; the others are averaged over
            steps by the bar. Cannot be given with `stateless_metrics`.
        unit_name: what a step is called (`"step"`, `"sample"`).
        stateless_metrics: names of the metrics averaged by the bar; the others are shown as
            given. Cannot be given with `stateful_metrics`.
        file: the stream to write to; `sys.stdout` when None.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = Progbar(3, verbose=2, file=out)
        >>> for step in range(1, 4):
        ...     bar.update(step, [("loss", 1.0 / step)])
        >>> out.getvalue().split(" - ")[-1]  # like Keras, the last update replaces the average
        'loss: 0.3333\\n'
    """

    def __init__(
        self,
        target: int | None,
        width: int = 30,
        verbose: int | str = 1,
        interval: float = 0.05,
        stateful_metrics: Iterable[str] | None = None,
        unit_name: str = "step",
        *,
        stateless_metrics: Iterable[str] | None = None,
        file: IO[str] | None = None,
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Only one of `stateful_metrics` or `stateless_metrics` can be given. "
                f"Received: stateful_metrics={stateful_metrics!r}, "
                f"stateless_metrics={stateless_metrics!r}"
            )
        self.target = target
        self.width = int(width)
        self.verbose = resolve_verbose(verbose)
        self.interval = float(interval)
        self.unit_name = unit_name
        self._stateful = None if stateful_metrics is None else set(stateful_metrics)
        self._stateless = None if stateless_metrics is None else set(stateless_metrics)
        if self._stateful is None and self._stateless is None:
            self._stateful = set()
        self._file = file if file is not None else sys.stdout
        self._dynamic = False
        self._console: Console | None = None
        if self.verbose == 1:
            console = Console(file=self._file, force_terminal=_isatty(self._file) or None)
            self._dynamic = console.is_jupyter or (
                _isatty(self._file)
                and not console.is_dumb_terminal
                and os.environ.get("TTY_COMPATIBLE") != "0"
            )
            self._console = console if self._dynamic else None
        self._live: Live | None = None
        # name -> [sum, count] (averaged) or [value, 1] (shown as given)
        self._values: dict[str, list] = {}
        self._values_order: list[str] = []
        self._seen_so_far = 0
        self._start = _now()
        self._last_render: float | None = None
        self._time_after_first_step: float | None = None

    def _is_averaged(self, name: str) -> bool:
        if self._stateful is not None:
            return name not in self._stateful
        return name in self._stateless

    def _record(self, current: int, values: Any, finalize: bool) -> None:
        items = values.items() if isinstance(values, Mapping) else values
        for name, value in items:
            if name not in self._values:
                self._values_order.append(name)
            if not self._is_averaged(name) or finalize:
                self._values[name] = [value, 1]
                continue
            weight = max(current - self._seen_so_far, 1)
            entry = self._values.get(name)
            if entry is None:
                self._values[name] = [value * weight, weight]
            else:  # out of place: never modify a tensor the caller still holds
                entry[0] = entry[0] + value * weight
                entry[1] += weight

    def update(self, current: int, values: Any = None, finalize: bool | None = None) -> None:
        """Moves the bar to step `current`.

        Args:
            current: the number of steps done.
            values: `(name, value)` pairs (or a dict) for the last step. Averaged metrics are
                averaged over steps; the others (see `stateful_metrics`) are shown as given.
            finalize: whether this is the bar's last update; None means `current >= target`.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        if self.verbose and values:
            self._record(current, values, finalize)
        self._seen_so_far = current
        if not self.verbose:
            return
        now = _now()
        if current == 1:
            self._time_after_first_step = now
        if not finalize:
            if not self._dynamic:
                return
            if self._last_render is not None and now - self._last_render < self.interval:
                return
        self._last_render = now
        metrics = [(name, format_value(self._value(name))) for name in self._values_order]
        if self._dynamic:
            self._draw(current, now, metrics, finalize)
        else:
            self._write_line(current, now, metrics)

    def add(self, n: int, values: Any = None) -> None:
        """Moves the bar `n` steps forward (see `update`)."""
        self.update(self._seen_so_far + n, values)

    def close(self) -> None:
        """Stops the live display, leaving the last drawing on screen."""
        if self._live is not None:
            self._live.stop()
            self._live = None

    # -- rendering -------------------------------------------------------------------------------
    def _value(self, name: str) -> Any:
        total, count = self._values[name]
        value = to_float(total)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value / max(1, count)
        return value

    def _time_per_unit(self, current: int, now: float) -> float:
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            return (now - self._time_after_first_step) / (current - 1)
        return (now - self._start) / current

    def _count(self, current: int) -> str:
        if self.target is None or self.target <= 0:
            return f"{current}/Unknown"
        digits = int(math.log10(self.target)) + 1
        return f"{current:>{digits}}/{self.target}"

    def _write_line(self, current: int, now: float, metrics: list[tuple[str, str]]) -> None:
        time_per_unit = self._time_per_unit(current, now)
        line = f"{self._count(current)} - {now - self._start:.0f}s"
        line += f" - {format_time_per_unit(time_per_unit, self.unit_name)}"
        line += "".join(f" - {name}: {value}" for name, value in metrics)
        self._file.write(line + "\n")
        self._file.flush()

    def _draw(
        self, current: int, now: float, metrics: list[tuple[str, str]], finalize: bool
    ) -> None:
        time_per_unit = self._time_per_unit(current, now)
        known = self.target is not None and self.target > 0
        if finalize or not known:
            timing = format_eta(now - self._start)
        else:
            timing = f"ETA {format_eta(time_per_unit * max(self.target - current, 0))}"
        count = self._count(current)
        info = f"{timing} - {format_rate(time_per_unit, self.unit_name)}"
        head_width = len(count) + self.width + len(info) + 2
        lines = pack_metrics(
            [f"{name}: {value}" for name, value in metrics],
            first_room=self._console.width - head_width,
            room=self._console.width,
        )
        bar = ProgressBar(
            total=self.target if known else None,
            completed=min(current, self.target) if known else 0,
            width=self.width,
        )
        head = Table.grid(padding=(0, 1))
        head.add_row(Text(count, style="bold"), bar, Text.assemble((info, "bold"), lines[0]))
        renderable = Group(head, *(Text(line) for line in lines[1:]))
        if self._live is None:
            self._live = Live(renderable, console=self._console, auto_refresh=False)
            self._live.start(refresh=True)
        else:
            self._live.update(renderable, refresh=True)
        if finalize:
            self.close()


def pack_metrics(parts: list[str], first_room: int, room: int) -> list[str]:
    """Lays `name: value` parts out on lines of at most `room` columns, never splitting a part.

    The first line continues the bar's row (`first_room` columns left, each part prefixed
    with ` - `); the next lines are indented by two spaces.
    """
    lines = [""]
    for part in parts:
        piece = f" - {part}"
        limit = first_room if len(lines) == 1 else room
        if len(lines[-1]) + len(piece) <= limit:
            lines[-1] += piece
        else:
            lines.append(f"  {part}")
    return lines
