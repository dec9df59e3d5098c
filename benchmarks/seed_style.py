"""The baseline the engine is measured against: a per-sample loop in the seed notebooks' style.

One sample at a time, Python loops over samples and time steps, row vectors, per-step outer
products in BPTT. ``check_baseline`` asserts it computes the engine's gradients exactly, so a
speed-up is like for like.
"""

from __future__ import annotations

import numpy as np

from rnn_core import RNN

Array = np.ndarray
LR = 0.01
SEED_BATCH = 32  # the minibatch the targets compare at


class SeedStyleRNN:
    """The seed notebooks' trainer: one sample at a time, row vectors, Python loops over time.

    Written the way they wrote it (per-step ``x @ W_xh + h @ W_hh + b``, a list of hidden
    states, per-step outer products in BPTT, the sample's loss added to the epoch's as seed
    002 does, SGD after every sample or every accumulated batch) so that the speed-ups are
    measured against what people actually ran. Seed 002 (the weather notebook) predicts at
    every step: a read-out and its gradient at each of the T steps, targets ``(T, O)``; the
    other seeds read out once, targets ``(O,)``. Tanh and MSE: the engine's maths exactly
    (``check_baseline`` asserts it).
    """

    def __init__(self, params: dict[str, Array]) -> None:
        # Copies as row-vector maths wants them: biases b_h (1, H) and b_y (1, O).
        self.params = {k: np.array(v, dtype=np.float64, ndmin=2) for k, v in params.items()}
        self.loss_sum = 0.0  # Σ of per-sample losses, as the notebooks' ``epoch_loss``

    def sample_grads(self, x: Array, y: Array) -> dict[str, Array]:
        """Gradients of the MSE on one sequence ``x (T, D)``; ``y`` is ``(T, O)`` or ``(O,)``."""
        p = self.params
        T, every_step = len(x), y.ndim == 2
        hs = [np.zeros((1, p["W_hh"].shape[0]))]  # h_{-1} = 0, then h_0 … h_{T-1}, each (1, H)
        y_hat = np.zeros((T if every_step else 1, p["W_hy"].shape[1]))  # (T, O) or (1, O)
        for t in range(T):
            x_t = x[t : t + 1]  # (1, D)
            hs.append(np.tanh(x_t @ p["W_xh"] + hs[-1] @ p["W_hh"] + p["b_h"]))  # (1, H)
            if every_step:
                y_hat[t] = hs[-1] @ p["W_hy"] + p["b_y"]  # (1, O)
        if not every_step:
            y_hat[0] = hs[-1] @ p["W_hy"] + p["b_y"]
        self.loss_sum += np.mean((y_hat - y) ** 2)
        dy = 2.0 * (y_hat - y) / y_hat.size  # (T, O) or (1, O) ∂ mean((ŷ − y)²) / ∂ŷ
        grads = {name: np.zeros_like(value) for name, value in p.items()}
        dh = np.zeros_like(hs[0])  # (1, H) ∂L/∂h_t through the steps after t
        for t in reversed(range(T)):
            if every_step or t == T - 1:
                dy_t = dy[t : t + 1] if every_step else dy  # (1, O)
                grads["W_hy"] += hs[t + 1].T @ dy_t  # (H, O) outer product h_tᵀ dy_t
                grads["b_y"] += dy_t
                dh = dh + dy_t @ p["W_hy"].T  # (1, H)
            dz = dh * (1.0 - hs[t + 1] ** 2)  # (1, H)
            grads["W_hh"] += hs[t].T @ dz  # (H, H) outer product h_{t-1}ᵀ dz_t
            grads["W_xh"] += x[t : t + 1].T @ dz  # (D, H)
            grads["b_h"] += dz
            dh = dz @ p["W_hh"].T  # (1, H)
        return grads

    def summed_grads(self, X: Array, Y: Array) -> dict[str, Array]:
        """Per-sample gradients of ``X (n, T, D)`` summed in a Python loop over the samples."""
        total = self.sample_grads(X[0], Y[0])
        for x, y in zip(X[1:], Y[1:], strict=True):
            for name, g in self.sample_grads(x, y).items():
                total[name] += g
        return total

    def sgd_epoch(self, X: Array, Y: Array, batch_size: int) -> None:
        """One pass of SGD; a batch's gradient is the mean over its samples, like the engine's."""
        for start in range(0, len(X), batch_size):
            grads = self.summed_grads(X[start : start + batch_size], Y[start : start + batch_size])
            scale = LR / min(batch_size, len(X) - start)
            for name, g in grads.items():
                self.params[name] -= scale * g


def check_baseline(rng: np.random.Generator) -> None:
    """Assert the baseline computes the engine's gradients, so a speed-up is like for like.

    Also asserts float32 models keep float32 gradients: a silent upcast would make the
    float32 column of the sweep a second float64 column.
    """
    X = rng.standard_normal((SEED_BATCH, 7, 3))  # (B, T, D)
    targets = {
        False: rng.standard_normal((SEED_BATCH, 1)),  # (B, O) many-to-one
        True: rng.standard_normal((SEED_BATCH, 7, 1)),  # (B, T, O) many-to-many, as seed 002
    }
    for many_to_many, Y in targets.items():
        model = RNN(3, 8, 1, seed=1, many_to_many=many_to_many)
        baseline = SeedStyleRNN(model.params)
        for n in (1, SEED_BATCH):
            res = model.loss_and_grads(X[:n], Y[:n])
            baseline.loss_sum = 0.0
            got = baseline.summed_grads(X[:n], Y[:n])
            kind = f"{'many-to-many' if many_to_many else 'many-to-one'} at B={n}"
            assert np.isclose(baseline.loss_sum / n, res.loss), f"the loss differs, {kind}"
            for name, g in res.grads.items():
                assert np.allclose(got[name].reshape(g.shape) / n, g), f"{name} differs, {kind}"
    Y = targets[False]
    grads32 = RNN(3, 8, 1, seed=1, dtype="float32").loss_and_grads(X, Y).grads
    assert all(g.dtype == np.float32 for g in grads32.values()), "float32 grads were upcast"
    print(
        "\nBaseline check: seed-style losses and gradients equal `loss_and_grads` at B=1 and "
        "B=32, many-to-one and many-to-many. ✓"
    )
