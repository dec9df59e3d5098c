"""A training run owned by one browser session, trained off the script thread.

The page never blocks on training: ``TrainingJob`` runs ``Trainer.step`` in a background
thread (a blocking loop would be killed by every widget touch; the live page keeps 85–90 % of
headless throughput, see benchmarks/RESULTS.md). The page talks to it through button callbacks
(play, pause, step) and reads ``snapshot()``: copies taken under a lock, so drawing never races
training.

Streamlit does not stop threads when a tab closes, so every job has a heartbeat that the page
refreshes, and one reaper thread (``reaper``) stops jobs whose page has gone silent.

A job with a ``pace`` trains one step at a time, each at its turn, for a class to watch.

With ``inline=True`` nothing runs in the background: ``tick()`` advances a playing job by one
chunk per script run. AppTest uses this to drive training deterministically.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rnn_core import RNN, Trainer
from rnn_core.datasets import SequenceData
from rnn_core.history import DecimatedSeries
from rnn_core.trainer import DivergenceReport

from . import reaper
from .config import RunConfig
from .evaluate import drawable_on_a_log_axis, gradient_reach

CHUNK_SECONDS = 0.05  # training holds the lock this long at most, so snapshots stay quick
PAGE_TURN_TIMEOUT = 1.0  # the training thread waits at most this long for the page's turn
INLINE_CHUNK = 20  # steps per script run in inline mode
PREDICTION_SAMPLES = 300  # validation windows shown in the prediction chart
RATE_SECONDS = 3.0  # the Steps/s metric averages over this much recent training
RATE_MARKS = 256
REACH_POINTS = 512  # the gradient-reach history keeps at most this many points


@dataclass(frozen=True)
class Snapshot:
    """Everything the figures need, copied: safe to use while training continues."""

    config: RunConfig
    status: str  # "ready", "training", "paused", "finished", "diverged", "failed", "stopped"
    step: int
    epoch: float
    steps_per_second: float
    history: dict[str, np.ndarray]
    val_history: dict[str, np.ndarray]
    last_train_loss: float | None
    last_val_loss: float | None
    dh_norms: dict[str, np.ndarray] | None  # latest step's ‖∂L/∂h_t‖ per direction
    dh_step: int | None  # the step ``dh_norms`` are from: before the blow-up after one
    reach: dict[str, np.ndarray]  # "step", "reach": ‖∂L/∂h_1‖ / ‖∂L/∂h_T‖ once per chunk
    model: RNN  # an independent copy with the weights at ``step``
    diverged: DivergenceReport | None
    failure: str | None  # why an error (not a blow-up) stopped training, for the user
    weights_loaded_at: int | None  # the step at which weights were last loaded from a file


class TrainingJob:
    """One run: its data, its trainer and the thread (or inline ticks) that train it."""

    def __init__(
        self, config: RunConfig, data: SequenceData, trainer: Trainer, *, inline: bool = False
    ):
        self.config, self.data, self.trainer = config, data, trainer
        self.inline = inline
        self.max_steps = config.epochs * trainer.batches_per_epoch
        self._lock = threading.Lock()
        self._page_turn = threading.Condition()  # guards _pages_waiting
        self._pages_waiting = 0  # page threads waiting for (or holding) the lock
        self._playing = threading.Event()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._progress = threading.Condition()
        self._marks: deque[tuple[float, int]] = deque(maxlen=RATE_MARKS)  # (time, step)
        self._loaded: tuple[int, float | None] | None = None  # (step, val loss) of loaded weights
        # (step, ‖∂L/∂h_t‖ copies) at the end of the latest chunk that did not blow up and has
        # something to draw: the step that blows up overwrites the trainer's arrays (and the
        # steps before it may be saturated: inf at T, exact zeros before), so the profile from
        # before is what shows the explosion. Copied per chunk, not per step: no engine cost.
        self._finite_dh: tuple[int, dict[str, np.ndarray]] | None = None
        # The gradient reaching the first step, recorded as training goes, whether or not a
        # page is watching (a chart that sampled it when drawn had gaps while away).
        self._reach = DecimatedSeries(["reach"], REACH_POINTS)
        self.failure: str | None = None  # set when an error stopped training (see _train)
        self._pace: float | None = None  # see ``pace``
        self._next_step_at = time.perf_counter()  # when a paced job takes its next step
        self._wake = threading.Event()  # ends a paced job's wait: a stop, or a new pace
        self._pace_lock = threading.Lock()  # a new pace and the next turn's time, kept together
        self.heartbeat()
        reaper.watch(self)

    @cached_property
    def baselines(self) -> dict[str, float]:
        """Validation MSE of the trivial predictors on this run's data (it never changes)."""
        return self.data.baselines()

    # ---------------------------------------------------------------- controls
    def heartbeat(self) -> None:
        """The page is alive; called on every rerun and by a slow always-on fragment."""
        self.last_seen = time.monotonic()

    @property
    def done(self) -> bool:
        """Budget spent, training diverged or an error stopped it: nothing to train.

        ``train_longer`` gives a finished run more budget.
        """
        t = self.trainer
        return t.diverged is not None or self.failure is not None or t.step_count >= self.max_steps

    @property
    def finished(self) -> bool:
        """The epoch budget is spent (and training did not diverge or fail)."""
        t = self.trainer
        return t.diverged is None and self.failure is None and t.step_count >= self.max_steps

    def train_longer(self) -> None:
        """Give a finished run another ``config.epochs`` of budget, continuing from its weights.

        Like TensorFlow Playground, a run can go on after its budget: resetting to train
        longer would throw the trained (or loaded) weights away.
        """
        # Under the lock: the training thread decides "done, stop playing" under it too, so
        # a click that extends the budget can never be undone by that decision.
        with self._locked_for_page():
            if self.finished:
                self.max_steps += self.config.epochs * self.trainer.batches_per_epoch

    def play(self) -> None:
        """Start or resume training."""
        if self.done:
            return
        self._playing.set()
        if not self.inline and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="rnnlab-train", daemon=True)
            self._thread.start()

    def pause(self, validate: bool = True) -> None:
        """Stop after the current chunk, and ``validate`` the model it stops at.

        Validation runs every half epoch: the loss shown on pausing was of a model up to
        that many steps older than the weights an export then saved. Not for weights about
        to be replaced: a pass over the validation set (seconds, for a big one) for nothing.
        """
        self._playing.clear()
        if not validate:
            return
        with self._locked_for_page():
            if self.failure is None and self.trainer.step_count:
                self._or_fail(self.trainer.validate_now)

    def stop(self) -> None:
        """End the job for good (reset, closed tab): the thread exits."""
        self._stopped.set()
        self._playing.set()  # wake the thread so it can see the stop
        self._wake.set()

    @property
    def pace(self) -> float | None:
        """At most this many steps per second (None: as fast as it can), for a class to watch.

        A display choice that the page may change while the job trains; a new pace applies
        at once, not after the wait the old one had scheduled.
        """
        return self._pace

    @pace.setter
    def pace(self, steps_per_second: float | None) -> None:
        with self._pace_lock:
            if steps_per_second == self._pace:
                return
            self._pace = steps_per_second
            self._next_step_at = time.perf_counter()
        self._wake.set()

    def step_once(self, n: int = 1) -> None:
        """Train exactly ``n`` steps now, synchronously (the Step button)."""
        self.pause(validate=False)  # its steps end validated: one pass per click, not two
        self._train(min(n, max(0, self.max_steps - self.trainer.step_count)), by_hand=True)

    def tick(self) -> None:
        """Inline mode: one chunk per script run while playing. Thread mode: nothing."""
        if self.inline and self._playing.is_set():
            self._train(INLINE_CHUNK)

    @property
    def stopped(self) -> bool:
        """Whether the job was ended for good (reset, or reaped after its tab closed)."""
        return self._stopped.is_set()

    @property
    def playing(self) -> bool:
        """Whether the job is (meant to be) training right now."""
        return self._playing.is_set() and not self._stopped.is_set() and not self.done

    def replace_weights(self, load: Callable[[RNN], None]) -> None:
        """Pause, then let ``load(model)`` overwrite the weights under the lock.

        Until the next step, the snapshot's losses and gradients describe the loaded weights
        (the validation loss measured now; no training loss or gradient yet), not the old ones.
        """
        self.pause(validate=False)
        with self._locked_for_page():
            load(self.trainer.model)
            t = self.trainer
            val = t.evaluate(t.X_val, t.y_val) if t.has_val else None
            self._loaded = (t.step_count, val)

    @contextmanager
    def _locked_for_page(self) -> Iterator[None]:
        """The job's lock, taken by the page ahead of the training thread.

        ``threading.Lock`` is not fair: a training thread that releases it and takes it again
        at once can starve a waiting page for seconds (the app benchmark once measured 6 s
        from Train to the first chart). So the page says it is waiting, and the training
        thread lets it go first after every chunk (``_let_page_go_first``).
        """
        with self._page_turn:
            self._pages_waiting += 1
        try:
            with self._lock:
                yield
        finally:
            with self._page_turn:
                self._pages_waiting -= 1
                self._page_turn.notify_all()

    def _let_page_go_first(self) -> None:
        """Between chunks: wait (briefly) until no page is waiting for the lock."""
        with self._page_turn:
            self._page_turn.wait_for(lambda: self._pages_waiting == 0, PAGE_TURN_TIMEOUT)

    # ---------------------------------------------------------------- training
    def _train(self, n: int, *, only_while_playing: bool = False, by_hand: bool = False) -> None:
        if n <= 0:
            return
        with self._lock:
            if only_while_playing and not self._playing.is_set():
                return  # paused while this thread waited for the lock: not one step more
            if not self.done:
                t = self.trainer
                n = min(n, self.max_steps - t.step_count)
                # Steps by hand, and the steps that end the budget (the finished run's verdict
                # is its last validation loss), validate the model they leave.
                ends = by_hand or t.step_count + n == self.max_steps
                self._or_fail(lambda: t.step(n, validate_at_end=ends))
                self._update_rate()
                if t.diverged is None and t.last and drawable_on_a_log_axis(t.last.dh_norms):
                    self._finite_dh = (t.step_count, _copies(t.last.dh_norms))
                    if (reach := gradient_reach(t.last.dh_norms)) is not None:
                        self._reach.append(t.step_count, [reach])
            if self.done:
                self._playing.clear()
        with self._progress:
            self._progress.notify_all()

    def _or_fail(self, action: Callable[[], object]) -> None:
        """Run ``action``; an error ends the run with a reason for the user, never a traceback.

        A training thread that dies leaves a page showing "training" at step 0 for ever, and
        an error in the Step button's callback would show the user a traceback.
        """
        try:
            action()
        except MemoryError:
            self.failure = (
                "the machine ran out of memory for this run's arrays. Press **Reset** and use a "
                "smaller batch size, fewer hidden units or layers, or shorter windows"
            )
        except Exception as err:  # any error must reach the user, not vanish with the thread
            self.failure = (
                f"an unexpected error stopped training ({type(err).__name__}: {err}). Press "
                "**Reset** to start again"
            )

    def wait_for(self, steps: int, timeout: float) -> bool:
        """Block until ``steps`` steps are done (or the job is done); False on timeout."""
        with self._progress:
            return self._progress.wait_for(
                lambda: self.trainer.step_count >= steps or self.done, timeout
            )

    def _update_rate(self) -> None:
        self._marks.append((time.perf_counter(), self.trainer.step_count))

    def _steps_per_second(self) -> float:
        """Steps per second over the last RATE_SECONDS of chunks (pauses excluded)."""
        marks = self._marks
        if not self.playing or len(marks) < 2:
            return 0.0
        now, step = marks[-1]
        then, before = next(((t, s) for t, s in marks if now - t <= RATE_SECONDS), marks[0])
        if then == now:
            then, before = marks[-2]
        return (step - before) / (now - then)

    def _run(self) -> None:
        chunk = 1
        while not self._stopped.is_set():
            self._playing.wait()
            if self._stopped.is_set():
                return
            if (pace := self._pace) is not None:
                wait = self._next_step_at - time.perf_counter()
                if wait > 0:  # a stop or a new pace ends the wait early: then look again
                    self._wake.wait(wait)
                    self._wake.clear()
                    continue
                self._train(1, only_while_playing=True)
                with self._pace_lock:  # a pace set during the step has its own turn
                    if self._pace == pace:
                        self._next_step_at = next_turn(
                            self._next_step_at, time.perf_counter(), pace
                        )
                self._let_page_go_first()
                continue
            started = time.perf_counter()
            self._train(chunk, only_while_playing=True)
            elapsed = time.perf_counter() - started
            self._let_page_go_first()
            # Grow or shrink the chunk so each holds the lock about CHUNK_SECONDS.
            chunk = max(1, min(chunk * 2, int(chunk * CHUNK_SECONDS / max(elapsed, 1e-6))))

    # ---------------------------------------------------------------- reading
    def snapshot(self) -> Snapshot:
        """Copies of the current state, taken under the lock (cheap: no model evaluation).

        Evaluate ``snapshot.model`` outside the lock; training goes on meanwhile.
        """
        with self._locked_for_page():
            t = self.trainer
            last = t.last
            train_loss = t.history.last["loss"] if t.history.last else None
            val_loss = t.val_history.last["val_loss"] if t.val_history.last else None
            if t.diverged is not None:  # the trainer's arrays hold the blow-up: the kept copy
                dh_step, dh_norms = self._finite_dh or (None, None)
            else:
                dh_step, dh_norms = (t.step_count, _copies(last.dh_norms)) if last else (None, None)
            if self._loaded is not None and self._loaded[0] == t.step_count:
                train_loss, val_loss = None, self._loaded[1]  # not trained yet
                dh_step, dh_norms = None, None
            return Snapshot(
                config=self.config,
                status=self._status(),
                step=t.step_count,
                epoch=t.epoch,
                steps_per_second=self._steps_per_second(),
                history=t.history.as_dict(),
                val_history=t.val_history.as_dict(),
                last_train_loss=train_loss,
                last_val_loss=val_loss,
                dh_norms=dh_norms,
                dh_step=dh_step,
                reach=self._reach.as_dict(),
                model=t.model.copy(),
                diverged=t.diverged,
                failure=self.failure,
                weights_loaded_at=self._loaded[0] if self._loaded else None,
            )

    def _status(self) -> str:
        t = self.trainer
        if t.diverged is not None:
            return "diverged"
        if self.failure is not None:
            return "failed"
        if self.finished:
            return "finished"
        if self.stopped:  # reaped: its tab was silent too long (stop() also sets the play flag)
            return "stopped"
        if self._playing.is_set():
            return "training"
        return "paused" if t.step_count else "ready"


def next_turn(due: float, now: float, pace: float) -> float:
    """When a job trained at ``pace`` steps per second takes its next step.

    One interval after the step that was due, so the pace holds on average; never before
    ``now``, so a job that fell behind (a pause, a slow step) does not catch up in a burst.
    """
    return max(due + 1.0 / pace, now)


def _copies(arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: v.copy() for k, v in arrays.items()}
