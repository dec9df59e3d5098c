"""The fastest weather training step a Python time loop over NumPy can take on this machine.

It answers by measurement how far the engine could go on the weather task: a step written by
hand for exactly one model (seed 002's: a tanh RNN read out at every step, MSE, SGD, one
batch shape), with none of the engine's generality or bookkeeping, in as few and as cheap
NumPy calls as we could find:

- every array the loop touches is contiguous. Tricks that save a call by storing a state
  next to its input (``[x_t, 1, h_{t-1}] @ [W_xh; b_h; W_hh]``, one product per step) or a
  time step's two backward terms side by side lose here: a ufunc writing into a strided
  ``(32, 4)`` view costs about 0.6 µs more than into a contiguous one, more than the call saved;
- the input part of every step (bias included, as ``[x_t, 1] @ [W_xh; b_h]``), the read-out,
  the gradient arriving from each step's read-out, f' and the three parameter gradients are
  one product or ufunc each over all T steps; only the recurrence is per step;
- inputs are placed once, as if an epoch were shuffled straight into this layout;
- no norms, no guard, no history, no checks: the seed-style loop does none of them. (It does
  compute the loss, and so does this step.)

Its speed-up over the seed-style step is therefore about the most an engine that keeps the
Python time loop can reach. ``LeanWeatherStep.check`` asserts it computes the engine's loss,
gradients and update, so the bound is like for like.
"""

from __future__ import annotations

import numpy as np

from rnn_core import RNN

Array = np.ndarray


class LeanWeatherStep:
    """Forward, BPTT and an SGD update of one fixed batch, in as few NumPy calls as possible."""

    def __init__(self, params: dict[str, Array], X: Array, Y: Array, lr: float) -> None:
        B, T, D = X.shape
        H, O = params["W_hy"].shape
        self._shapes = {"W_in": (D + 1, H), "W_hh": (H, H), "W_hy": (H, O), "b_y": (O,)}
        sizes = [int(np.prod(shape)) for shape in self._shapes.values()]
        self._vector = np.empty(sum(sizes))  # every parameter, flat
        self._grad = np.empty_like(self._vector)  # every gradient, same layout
        self.weights_in = self._views(self._vector)
        self.grads_in = self._views(self._grad)
        self.weights_in["W_in"][:D], self.weights_in["W_in"][D] = params["W_xh"], params["b_h"]
        for name in ("W_hh", "W_hy", "b_y"):
            self.weights_in[name][...] = params[name]
        self.X1 = np.ones((T, B, D + 1))  # (T, B, D+1) [x_t, 1]
        self.X1[:, :, :D] = X.transpose(1, 0, 2)
        self.Y = np.ascontiguousarray(np.transpose(Y, (1, 0, 2)), dtype=np.float64)  # (T, B, O)
        self.lr = lr
        self._dimensions = B, T, D, H, O

    def _views(self, flat: Array) -> dict[str, Array]:
        views, start = {}, 0
        for name, shape in self._shapes.items():
            size = int(np.prod(shape))
            views[name] = flat[start : start + size].reshape(shape)
            start += size
        return views

    def compile(self):
        """The step as closures over local names: attribute and global lookups cost time too.

        Returns ``gradients()`` (the loss; the gradient is left in ``grads_in``) and ``step()``.
        """
        B, T, D, H, O = self._dimensions
        X1, Y, vector, grad, lr = self.X1, self.Y, self._vector, self._grad, self.lr
        W_in, W_hh, W_hy, b_y = (self.weights_in[k] for k in ("W_in", "W_hh", "W_hy", "b_y"))
        dW_in, dW_hh, dW_hy, db_y = (self.grads_in[k] for k in ("W_in", "W_hh", "W_hy", "b_y"))
        W_hh_T, W_hy_T = W_hh.T, W_hy.T  # (H, H), (O, H) transposed views
        A = np.zeros((T + 1, B, H))  # (T+1, B, H) h_{-1} = 0, h_0 … h_{T-1}
        Z, fprime, dZ = (np.empty((T, B, H)) for _ in range(3))  # (T, B, H) z, f'(z), ∂L/∂z
        G = np.empty((T, B, H))  # (T, B, H) ∂L/∂h_t
        product = np.empty((B, H))  # (B, H) one step's product with W_hh or W_hhᵀ
        y_hat, err = np.empty((T, B, O)), np.empty((T, B, O))  # (T, B, O)
        ones = np.ones(T * B)  # (T·B,) sums over time and batch as a product
        X1_rows, Z_rows, dZ_rows = X1.reshape(T * B, D + 1), Z.reshape(T * B, H), dZ.reshape(-1, H)
        states, previous = A[1:], A[:T].reshape(T * B, H)  # (T, B, H), (T·B, H)
        states_rows, y_rows, err_rows = (
            states.reshape(T * B, H),
            y_hat.reshape(-1, O),
            err.reshape(-1, O),
        )
        forward = list(zip(Z, A[:T], A[1:], strict=True))
        backward = [(G[t], fprime[t], dZ[t], G[t - 1]) for t in range(T - 1, 0, -1)]
        tanh, multiply, subtract, add, vdot = np.tanh, np.multiply, np.subtract, np.add, np.vdot
        scale = 2.0 / y_hat.size  # ∂ mean((ŷ − y)²) / ∂ŷ = 2 (ŷ − y) / n

        def gradients() -> float:
            X1_rows.dot(W_in, Z_rows)  # input part of every z_t: [x_t, 1] @ [W_xh; b_h]
            for z, h_prev, h in forward:
                h_prev.dot(W_hh, product)
                add(z, product, z)
                tanh(z, h)
            states_rows.dot(W_hy, y_rows)
            add(y_hat, b_y, y_hat)  # ŷ_t = h_t @ W_hy + b_y for every t
            subtract(y_hat, Y, err)
            loss = vdot(err, err) / err.size
            multiply(err, scale, err)  # ∂L/∂ŷ
            states_rows.T.dot(err_rows, dW_hy)
            ones.dot(err_rows, db_y)
            err_rows.dot(W_hy_T, G.reshape(T * B, H))  # what each read-out sends to h_t
            multiply(states, states, fprime)
            subtract(1.0, fprime, fprime)  # tanh'(z) = 1 − h²
            for g, fp, dz, g_prev in backward:
                multiply(g, fp, dz)  # ∂L/∂z_t
                dz.dot(W_hh_T, product)
                add(g_prev, product, g_prev)  # ∂L/∂h_{t-1} += ∂L/∂z_t W_hhᵀ
            multiply(G[0], fprime[0], dZ[0])
            X1_rows.T.dot(dZ_rows, dW_in)  # [dW_xh; db_h]
            previous.T.dot(dZ_rows, dW_hh)
            return loss

        def step() -> None:
            gradients()
            multiply(grad, lr, grad)
            vector.__isub__(grad)

        return gradients, step

    def weights(self) -> dict[str, Array]:
        """The current weights, named as the engine names them (copies)."""
        return self.named(self.weights_in)

    def named(self, blocks: dict[str, Array]) -> dict[str, Array]:
        """Weights or gradients in this layout as the engine's named parameters (copies)."""
        D = self._dimensions[2]
        return {
            "W_xh": blocks["W_in"][:D].copy(),
            "b_h": blocks["W_in"][D].copy(),
            "W_hh": blocks["W_hh"].copy(),
            "W_hy": blocks["W_hy"].copy(),
            "b_y": blocks["b_y"].copy(),
        }

    @classmethod
    def check(cls, model: RNN, X: Array, Y: Array) -> None:
        """Assert the hand-written step computes the engine's loss, gradients and SGD update."""
        lean = cls(model.params, X, Y, lr=0.1)
        gradients, step = lean.compile()
        want = model.loss_and_grads(X, Y)
        assert np.isclose(gradients(), want.loss, rtol=1e-12), "lean loss differs"
        got = lean.named(lean.grads_in)
        for name, g in want.grads.items():
            assert np.allclose(got[name], g, rtol=1e-12, atol=1e-15), f"lean {name} differs"
        step()
        updated = lean.weights()
        for name, p in model.params.items():
            assert np.allclose(updated[name], p - 0.1 * want.grads[name]), f"lean update of {name}"
