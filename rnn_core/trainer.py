"""Minibatch training with a bounded history and a divergence guard.

The trainer is synchronous (``step(n)``) so a UI can drive it from a background job or, in
tests, inline and deterministically. Everything random (shuffling) comes from ``seed``; with
one BLAS thread, the same seeds give bit-identical histories.

Divergence guard: a non-finite loss, gradient or updated parameter stops training, reports
the step and the first parameter (in ``model.params`` order) that went non-finite, and leaves
the last finite weights in the model.

Speed: on small models a step is a few dozen NumPy calls of about a microsecond each, so the
trainer keeps every array it needs (a ``Workspace`` per batch shape, the shuffled epoch) and
treats all parameters as one flat vector: the guard, the norms for the history, clipping and
the optimizer update are each one or two calls, however many parameters there are.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import flat
from .config import parameter_shapes
from .cost import eval_chunk
from .history import DecimatedSeries
from .minibatches import Minibatches
from .model import RNN, LossAndGrads
from .optim import Clipping, Optimizer
from .runtime import blas_threads, keep_freed_memory
from .wording import either
from .workspace import Workspace

Array = np.ndarray


@dataclass(frozen=True)
class DivergenceReport:
    """Why training stopped: which step, what went non-finite, and what to try."""

    step: int
    quantity: str  # "loss", "gradient" or "parameter"
    parameter: str | None
    message: str


READ_OUT = ("W_hy", "b_y")  # the head's parameters, after the recurrence


def _check_positive_int(name: str, value: int | None, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if not (isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= 1):
        raise ValueError(f"{name} must be a positive integer; got {value!r}")


class Trainer:
    """Owns a model, an optimizer and the data; ``step(n)`` trains n minibatches."""

    def __init__(
        self,
        model: RNN,
        optimizer: Optimizer,
        X_train: Array,
        y_train: Array,
        X_val: Array | None = None,
        y_val: Array | None = None,
        *,
        batch_size: int = 32,
        clipping: Clipping | None = None,
        bptt_window: int | None = None,
        val_every: int = 50,
        target_loss: float | None = None,
        seed: int = 0,
        history_capacity: int = 2048,
        blas_threads: int | None = 1,
    ) -> None:
        _check_positive_int("batch_size", batch_size)
        _check_positive_int("val_every", val_every)
        _check_positive_int("bptt_window", bptt_window, optional=True)
        model._check_window(bptt_window)
        self.model = model
        self.optimizer = optimizer
        self.X_train = model.check_inputs(X_train)
        self.y_train = model.check_targets(y_train, self.X_train)
        self.has_val = X_val is not None and y_val is not None
        if self.has_val:
            self.X_val = model.check_inputs(X_val)
            self.y_val = model.check_targets(y_val, self.X_val)
        for name, a in self._datasets().items():
            if not np.isfinite(a).all():
                raise ValueError(f"{name} contains NaN or inf; fill or drop those values first")
        self.batch_size = min(batch_size, len(self.X_train))
        self.clipping = clipping
        self.bptt_window = bptt_window
        self.val_every = val_every
        self.target_loss = target_loss
        self.blas_threads = blas_threads
        self._rng = np.random.default_rng(seed)
        self._workspaces: dict[int, Workspace] = {}  # per batch size (the last may be short)
        self._minibatches = Minibatches(
            model, self.X_train, self.y_train, self.batch_size, self._rng, self._workspace
        )
        self.step_count = 0
        self.last: LossAndGrads | None = None  # the latest step; its arrays live until the next
        self.diverged: DivergenceReport | None = None
        self.target_reached = False
        names = list(model.params)
        self._names = names
        shapes = parameter_shapes(model.config)
        self._starts = flat.segment_starts(shapes)  # where each parameter begins in the vector
        self._squares = np.empty(flat.size_of(shapes), model.dtype)  # (P,) work array
        self._backup = np.empty_like(self._squares)  # (P,) last finite weights
        # A running bound on the largest |weight| (inf: unknown), and the size below which
        # neither a weight nor ‖w‖² can overflow: see _update.
        self._weight_bound = math.inf
        self._safe_weight = math.sqrt(float(np.finfo(model.dtype).max) / self._squares.size)
        self.history = DecimatedSeries(
            ["epoch", "loss", "grad_norm", "grad_norm_clipped"]
            + [f"norm/{n}" for n in names]
            + [f"clipped/{n}" for n in names],
            history_capacity,
        )
        self.val_history = DecimatedSeries(["val_loss"], history_capacity)
        keep_freed_memory()

    def _datasets(self) -> dict[str, Array]:
        arrays = {"X_train": self.X_train, "y_train": self.y_train}
        if self.has_val:
            arrays.update(X_val=self.X_val, y_val=self.y_val)
        return arrays

    @property
    def batches_per_epoch(self) -> int:
        """Minibatches in one pass over the training set (the last one may be short)."""
        return -(-len(self.X_train) // self.batch_size)

    @property
    def epochs_done(self) -> int:
        """Whole epochs trained: every window seen once more, and the next epoch begun."""
        return self._minibatches.epochs_done

    @property
    def epoch(self) -> float:
        """Epochs trained so far, fractional within the current epoch."""
        return self._minibatches.epoch

    @np.errstate(over="ignore", invalid="ignore")  # overflowing weights: inf, not a warning
    def evaluate(self, X: Array, Y: Array) -> float:
        """MSE of the current model on (X, Y), in chunks to bound memory."""
        total = 0.0
        chunk = eval_chunk(self.model.config, X.shape[1])
        for start in range(0, len(X), chunk):
            err = self.model.predict(X[start : start + chunk]) - Y[start : start + chunk]
            total += float(np.sum(err * err))
        return total / Y.size

    def _workspace(self, batch: int) -> Workspace:
        ws = self._workspaces.get(batch)
        if ws is None:
            ws = self._workspaces[batch] = self.model.workspace(batch, self.X_train.shape[1])
        return ws

    def _first_non_finite(self, squares: list[float]) -> str | None:
        """Name of the first parameter whose squared norm is inf or NaN, if any."""
        return next(
            (k for k, v in zip(self._names, squares, strict=True) if not math.isfinite(v)), None
        )

    def _squared_norms(self, vector: Array) -> list[float]:
        """‖θ_i‖² of every parameter's segment of a flat vector (inf or NaN if non-finite)."""
        np.multiply(vector, vector, out=self._squares)
        return np.add.reduceat(self._squares, self._starts).tolist()

    def _diverge(self, quantity: str, parameter: str | None) -> None:
        step = self.step_count + 1
        what = {
            "loss": "the loss",
            "gradient": f"the gradient of {parameter}",
            "parameter": f"the weights of {parameter}",
        }[quantity]
        if step == 1 and quantity != "parameter":  # the starting weights overflow by themselves
            advice = (
                "No update had been made yet, so the learning rate and clipping cannot help: "
                "the starting weights overflow by themselves. Use a smaller recurrent scale "
                "(spectral radius below 1), a bounded activation such as tanh, or shorter "
                "sequences."
            )
        else:
            tips = [f"a smaller learning rate (now {self.optimizer.lr:g})"]
            tips.append("gradient clipping (e.g. by norm at 1.0)")
            if parameter not in READ_OUT:  # no recurrence between the read-out and the loss
                tips.append("a smaller recurrent scale (spectral radius below 1)")
            advice = f"The weights from step {step - 1} are kept. Try {either(tips)}."
        self.diverged = DivergenceReport(
            step=step,
            quantity=quantity,
            parameter=parameter,
            message=(
                f"Training diverged at step {step}: {what} became non-finite "
                f"(inf or NaN, or too large to square). {advice}"
            ),
        )

    def _validate(self) -> float:
        val = self.evaluate(self.X_val, self.y_val)
        self.val_history.append(self.step_count, [val])
        return val

    def _one_step(self, vector: Array) -> bool:
        """One minibatch update of the parameter ``vector``; False when the guard stopped it.

        Each gradient's squared norm is computed once and serves the guard (the sum is finite
        exactly when every gradient is), the clipping and the history.
        """
        inputs, y, workspace = self._minibatches.next()
        res = self._minibatches.loss_and_grads(inputs, y, self.bptt_window, workspace)
        grad = res.grad_vector  # (P,) every gradient; res.grads are views into it
        squares = self._squared_norms(grad)
        total_sq = sum(squares)
        if not (math.isfinite(total_sq) and math.isfinite(res.loss)):
            bad = self._first_non_finite(squares)
            self._diverge("gradient" if bad else "loss", bad)
            return False
        pre = post = math.sqrt(total_sq)
        norms = clipped = [math.sqrt(v) for v in squares]
        if self.clipping:
            self.clipping.apply({"all": grad}, pre)
            clipped_squares = self._squared_norms(grad)
            clipped = [math.sqrt(v) for v in clipped_squares]
            post = math.sqrt(sum(clipped_squares))
        if not self._update(vector, grad, post):
            return False
        self.step_count += 1
        self.last = res
        self.history.append(self.step_count, [self.epoch, res.loss, pre, post, *norms, *clipped])
        val = self._validate() if self.has_val and not self.step_count % self.val_every else None
        monitored = val if self.has_val else res.loss
        if self.target_loss is not None and monitored is not None:
            self.target_reached = monitored <= self.target_loss
        return True

    def _update(self, vector: Array, grad: Array, grad_norm: float) -> bool:
        """Optimizer step, undone (and reported) if it made a weight non-finite.

        Checking costs a backup and a pass over the weights. It is skipped when the step
        provably cannot overflow: the optimizer bounds how far any weight moves (plain SGD:
        lr·‖g‖₂) and a running bound on the largest |weight| stays far from overflow. Every
        check sets the bound to ‖w‖₂ (≥ ‖w‖∞), and ``step`` resets it, as the weights may
        have been changed between calls.
        """
        change = self.optimizer.max_change(grad_norm)
        if change is not None and self._weight_bound + change < self._safe_weight:
            self.optimizer.update(vector, grad)
            self._weight_bound += change
            return True
        np.copyto(self._backup, vector)
        self.optimizer.update(vector, grad)
        size_sq = float(np.vdot(vector, vector))
        if math.isfinite(size_sq):
            self._weight_bound = math.sqrt(size_sq)
            return True
        bad = self._first_non_finite(self._squared_norms(vector))
        np.copyto(vector, self._backup)
        self._diverge("parameter", bad)
        return False

    def step(self, n: int = 1, *, validate_at_end: bool = False) -> int:
        """Train up to ``n`` minibatches; returns how many were applied.

        Stops early when the guard fires (``diverged`` is set, and further calls do nothing)
        or when the monitored loss reaches ``target_loss`` (``target_reached``).
        ``validate_at_end`` calls ``validate_now`` after the last step: for steps by hand
        (10 steps, validation every 11) and a budget that ends between two points.
        """
        _check_positive_int("n", n)
        if self.diverged is not None:
            return 0
        done = 0
        # Overflow is expected on the way to divergence; the guard reports it in words.
        with blas_threads(self.blas_threads), np.errstate(over="ignore", invalid="ignore"):
            if self.step_count == 0 and self.has_val and len(self.val_history) == 0:
                self.val_history.append(0, [self.evaluate(self.X_val, self.y_val)])
            self.target_reached = False
            vector = self.model.parameter_vector()
            self._weight_bound = math.inf  # the weights may have been changed since the last call
            while done < n and self._one_step(vector):
                done += 1
                if self.target_reached:
                    break
            if validate_at_end and done:
                self.validate_now()
        return done

    def validate_now(self) -> float | None:
        """Validate the current model unless this step has its point; its loss, or None.

        The schedule validates every ``val_every`` steps. A run paused, stepped by hand or
        ending its budget between two points would otherwise show the validation loss of an
        older model beside the training loss of this one. After a blow-up too: the weights
        kept are the last finite ones. The point decides a target like any other.
        """
        last = self.val_history.last
        if not self.has_val or (last is not None and last["step"] == self.step_count):
            return None
        with blas_threads(self.blas_threads):
            val = self._validate()
        if self.target_loss is not None:
            self.target_reached = val <= self.target_loss
        return val

    def run(
        self,
        *,
        epochs: float | None = None,
        steps: int | None = None,
        seconds: float | None = None,
        chunk: int = 10,
        callback: Callable[[Trainer], None] | None = None,
    ) -> str:
        """Train until a budget runs out; returns why it stopped.

        The reason is ``"epochs"``, ``"steps"``, ``"seconds"``, ``"target"`` or ``"diverged"``.
        ``callback(trainer)`` is called after every ``chunk`` steps (e.g. for progress).
        """
        if epochs is None and steps is None and seconds is None:
            raise ValueError("run() needs a budget: epochs, steps or seconds")
        stop_by_steps = self.step_count + steps if steps is not None else None
        stop_by_epochs = (
            self.step_count + int(np.ceil(epochs * self.batches_per_epoch))
            if epochs is not None
            else None
        )
        deadline = time.perf_counter() + seconds if seconds is not None else None
        while True:
            if stop_by_steps is not None and self.step_count >= stop_by_steps:
                return "steps"
            if stop_by_epochs is not None and self.step_count >= stop_by_epochs:
                return "epochs"
            if deadline is not None and time.perf_counter() >= deadline:
                return "seconds"
            left = [s - self.step_count for s in (stop_by_steps, stop_by_epochs) if s is not None]
            self.step(min([chunk, *left]))
            if callback is not None:
                callback(self)
            if self.diverged is not None:
                return "diverged"
            if self.target_reached:
                return "target"
