"""The fastest weather training step a Python time loop over NumPy can take on this machine.

The engine misses the 100× weather target, and the call floor says why in part. This answers
the rest by measurement: a step written by hand for exactly one model (many-to-one tanh RNN,
MSE, SGD, one batch shape), with none of the engine's generality or bookkeeping, and every
trick that removes a NumPy call:

- the state of each step lives next to its input, ``S[t] = [x_t, 1, h_{t-1}]``, so
  ``z_t = S[t] @ [W_xh; b_h; W_hh]`` is one product per step and f writes h_t straight into
  ``S[t+1]``; the three input-side gradients are then one product too;
- the read-out reads ``[1, h_{T-1}]`` in place (``S[T]``) against ``[b_y; W_hy]``;
- inputs are placed once, as if an epoch were shuffled straight into this layout;
- products with W_hhᵀ read the transposed view (BLAS transposes for free; at H=4 that is
  cheaper than the engine's contiguous copy, which pays off only on long sequences);
- no loss value, no norms, no guard, no history: the seed-style loop computes none of them.

Its speed-up over the seed-style step is therefore an upper bound for any engine that keeps the
Python time loop. ``LeanWeatherStep.check`` asserts it computes the engine's gradients, so the
bound is like for like.
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
        K = D + 1 + H  # width of [x_t, 1, h_{t-1}]
        self._vector = np.empty(K * H + (H + 1) * O)  # every parameter, flat
        self._grad = np.empty_like(self._vector)  # every gradient, same layout
        self.W_all = self._vector[: K * H].reshape(K, H)  # (K, H) [W_xh; b_h; W_hh]
        self.W_out = self._vector[K * H :].reshape(H + 1, O)  # (H+1, O) [b_y; W_hy]
        self.dW_all = self._grad[: K * H].reshape(K, H)
        self.dW_out = self._grad[K * H :].reshape(H + 1, O)
        self.W_all[:D], self.W_all[D], self.W_all[D + 1 :] = (
            params["W_xh"],
            params["b_h"],
            params["W_hh"],
        )
        self.W_out[0], self.W_out[1:] = params["b_y"], params["W_hy"]
        self.S = np.ones((T + 1, B, K))  # (T+1, B, K) [x_t, 1, h_{t-1}]
        self.S[:T, :, :D] = X.transpose(1, 0, 2)
        self.S[:, :, D + 1 :] = 0.0  # h_{-1} = 0; the other h slots are written every step
        self.Y = np.asarray(Y, dtype=np.float64)  # (B, O)
        self.lr = lr
        self._dimensions = B, T, D, H, O, K

    def compile(self):
        """The step as a closure over local names: attribute and global lookups cost time too."""
        B, T, D, H, O, K = self._dimensions
        S, Y, W_all, W_out, dW_all, dW_out = (
            self.S,
            self.Y,
            self.W_all,
            self.W_out,
            self.dW_all,
            self.dW_out,
        )
        vector, grad, lr = self._vector, self._grad, self.lr
        Z, fprime, dZ = (np.empty((T, B, H)) for _ in range(3))  # (T, B, H) z, f'(z), ∂L/∂z
        g = np.empty((B, H))  # (B, H) ∂L/∂h_t, carried back through time
        y_hat, err = np.empty((B, O)), np.empty((B, O))  # (B, O)
        W_hh_T, W_hy_T = W_all[D + 1 :].T, W_out[1:].T  # (H, H), (O, H) transposed views
        states = S[1:, :, D + 1 :]  # (T, B, H) h_0 … h_{T-1}
        last = S[T][:, D:]  # (B, H+1) [1, h_{T-1}]
        S_rows, dZ_rows = S[:T].reshape(T * B, K).T, dZ.reshape(T * B, H)  # (K, T·B), (T·B, H)
        forward = [(S[t], Z[t], S[t + 1][:, D + 1 :]) for t in range(T)]
        backward = [(fprime[t], dZ[t]) for t in range(T - 1, 0, -1)]
        fprime_0, dZ_0 = fprime[0], dZ[0]
        tanh, multiply, subtract = np.tanh, np.multiply, np.subtract
        scale = 2.0 / err.size  # ∂ mean((ŷ − y)²) / ∂ŷ = 2 (ŷ − y) / n

        def gradients() -> Array:
            for s, z, h in forward:
                s.dot(W_all, z)  # z_t = [x_t, 1, h_{t-1}] @ [W_xh; b_h; W_hh]
                tanh(z, h)  # h_t, written into S[t+1]
            last.dot(W_out, y_hat)  # ŷ = [1, h_{T-1}] @ [b_y; W_hy]
            subtract(y_hat, Y, err)
            multiply(err, scale, err)  # ∂L/∂ŷ
            last.T.dot(err, dW_out)  # [db_y; dW_hy]
            multiply(states, states, fprime)
            subtract(1.0, fprime, fprime)  # tanh'(z) = 1 − h²
            err.dot(W_hy_T, g)  # ∂L/∂h_{T-1}
            for fp, dz in backward:
                multiply(g, fp, dz)  # ∂L/∂z_t
                dz.dot(W_hh_T, g)  # ∂L/∂h_{t-1}
            multiply(g, fprime_0, dZ_0)
            S_rows.dot(dZ_rows, dW_all)  # [dW_xh; db_h; dW_hh] in one product
            return grad

        def step() -> None:
            gradients()
            multiply(grad, lr, grad)
            vector.__isub__(grad)

        return gradients, step

    def weights(self) -> dict[str, Array]:
        """The current weights, named as the engine names them (copies)."""
        return self.named(self._vector)

    def named(self, flat: Array) -> dict[str, Array]:
        """A flat vector in this layout as the engine's named parameters (copies)."""
        _, _, D, H, _, K = self._dimensions
        W_all, W_out = flat[: K * H].reshape(K, H), flat[K * H :].reshape(H + 1, -1)
        return {
            "W_xh": W_all[:D].copy(),
            "b_h": W_all[D].copy(),
            "W_hh": W_all[D + 1 :].copy(),
            "b_y": W_out[0].copy(),
            "W_hy": W_out[1:].copy(),
        }

    @classmethod
    def check(cls, model: RNN, X: Array, Y: Array) -> None:
        """Assert the hand-written step computes the engine's gradients and SGD update."""
        lean = cls(model.params, X, Y, lr=0.1)
        gradients, step = lean.compile()
        want = model.loss_and_grads(X, Y).grads
        got = lean.named(gradients())
        for name, g in want.items():
            assert np.allclose(got[name], g, rtol=1e-12, atol=1e-15), f"lean {name} differs"
        step()
        updated = lean.weights()
        for name, p in model.params.items():
            assert np.allclose(updated[name], p - 0.1 * want[name]), f"lean update of {name}"
