"""A trainer's minibatches: the training windows shuffled once per epoch, in consecutive slices.

Each epoch is shuffled into memory kept for it, so every minibatch is a view made once, with
the workspace for its size. Small training sets are kept time-major in the engine's own layout
(inputs as ``[x_t, 1]`` rows, ``recurrence.with_ones``): copying a minibatch into the engine
is then contiguous per step, a microsecond less per step on small models, which is what their
steps are made of. That takes two copies of the windows (as given and shuffled); above
``cost.STAGED_EPOCH_BYTES`` one shuffled copy in the given batch-major layout is kept instead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import recurrence
from .cost import stages_epoch
from .model import RNN
from .passes import LossAndGrads
from .workspace import Workspace, time_major

Array = np.ndarray


class Minibatches:
    """Consecutive minibatches of ``(X, y)``, reshuffled at the start of every epoch."""

    def __init__(
        self,
        model: RNN,
        X: Array,
        y: Array,
        batch_size: int,
        rng: np.random.Generator,
        workspace: Callable[[int], Workspace],
    ) -> None:
        n = self._n = len(X)
        self._rng = rng
        self.time_major = stages_epoch(model.config, X.shape[1], n)
        if self.time_major:  # inputs (T, N, D+1); targets (T, N, O), or (N, O) as they are
            targets = np.ascontiguousarray(time_major(y))
            self._sources = (recurrence.with_ones(X.transpose(1, 0, 2)), targets)
            self._axes = (1, targets.ndim - 2)  # where the windows are
        else:  # (N, T, D) and (N, O) or (N, T, O), as given
            self._sources, self._axes = (X, y), (0, 0)
        self._shuffled = tuple(np.empty_like(a) for a in self._sources)
        windows = [slice(start, min(start + batch_size, n)) for start in range(0, n, batch_size)]
        self._batches = [
            (
                *(_windows(a, axis, w) for a, axis in zip(self._shuffled, self._axes, strict=True)),
                w.stop,
                workspace(w.stop - w.start),
            )
            for w in windows
        ]
        self._index = len(self._batches)  # the first call shuffles
        self.epochs_done = 0  # epochs whose every minibatch was handed out and a new one begun
        self.cursor = 0  # windows of the current epoch handed out so far (0: none yet, ever)
        # (inputs, y, bptt_window, workspace) -> LossAndGrads for minibatches in this layout,
        # without the per-call checks: the data were checked once.
        self.loss_and_grads: Callable[..., LossAndGrads] = (
            model._loss_and_grads_time_major if self.time_major else model._loss_and_grads
        )

    @property
    def epoch(self) -> float:
        """Epochs trained so far, fractional within the current epoch."""
        return self.epochs_done + self.cursor / self._n

    def next(self) -> tuple[Array, Array, Workspace]:
        """The next minibatch's inputs, targets and workspace."""
        if self._index == len(self._batches):
            if self.cursor:  # an epoch was handed out: it is over
                self.epochs_done += 1
            order = self._rng.permutation(self._n)
            for source, shuffled, axis in zip(
                self._sources, self._shuffled, self._axes, strict=True
            ):
                # A permutation never goes out of range; mode="clip" skips the bounds checks.
                np.take(source, order, axis=axis, out=shuffled, mode="clip")
            self._index = 0
        inputs, y, self.cursor, workspace = self._batches[self._index]
        self._index += 1
        return inputs, y, workspace


def _windows(a: Array, axis: int, rows: slice) -> Array:
    """The windows ``rows`` of ``a``, whose windows run along ``axis`` (0 or 1): a view."""
    return a[:, rows] if axis else a[rows]
