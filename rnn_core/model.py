"""The vanilla RNN: stacked, optionally bidirectional, many-to-one or many-to-many.

    h_t = f(x_t @ W_xh + h_{t-1} @ W_hh + b_h)        y = h @ W_hy + b_y

Public arrays are batch-first: ``X (B, T, D)``, targets ``(B, O)`` (many-to-one: read out the
last state of each direction) or ``(B, T, O)`` (many-to-many). The loss is the mean squared
error over all elements, like ``torch.nn.MSELoss()``. One call to ``loss_and_grads`` returns
the loss, gradients keyed like ``params`` and what a teacher wants to plot, so no caller has to
redo the maths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import init as inits
from . import recurrence
from .activations import Activation, get_activation
from .config import RNNConfig, direction_key, param_name, parameter_shapes
from .norms import squared_norms

Array = np.ndarray


@dataclass
class ForwardPass:
    """Output of ``RNN.forward``: predictions plus what backward needs."""

    y_hat: Array  # (B, O) or (B, T, O)
    features: Array  # (T, B, F) top layer's states, original time order
    caches: dict[str, recurrence.DirectionCache]  # per direction key, in processing order


class LossAndGrads:
    """Loss, gradients and per-step diagnostics of one minibatch.

    ``hidden``, ``preacts`` and ``dh`` are keyed by direction (``layer0``, ``layer0_rev``, …),
    batch-first ``(B, T, H)`` in original time order. ``dh_norms[key][t]`` is ‖∂L/∂h_t‖ over
    the whole batch (Frobenius norm of the ``(B, H)`` slice): the gradient that reached step t.
    The diagnostics are computed on first access, so training pays only for what it reads.
    """

    def __init__(
        self,
        loss: float,
        grads: dict[str, Array],
        y_hat: Array,
        caches: dict[str, recurrence.DirectionCache],
        dstates: dict[str, Array],
    ) -> None:
        self.loss = loss
        self.grads = grads
        self.y_hat = y_hat
        self._caches = caches
        self._dstates = dstates

    @cached_property
    def hidden(self) -> dict[str, Array]:
        """h_t per direction, ``(B, T, H)``."""
        return {k: _batch_first(c.states, k) for k, c in self._caches.items()}

    @cached_property
    def preacts(self) -> dict[str, Array]:
        """z_t per direction, ``(B, T, H)``."""
        return {k: _batch_first(c.preacts, k) for k, c in self._caches.items()}

    @cached_property
    def dh_norms(self) -> dict[str, Array]:
        """‖∂L/∂h_t‖ per direction, ``(T,)``."""
        return {k: _time_norms(d, k) for k, d in self._dstates.items()}

    @cached_property
    def grad_norms(self) -> dict[str, float]:
        """‖∂L/∂θ‖ per parameter (before any clipping)."""
        return {k: float(np.sqrt(v)) for k, v in squared_norms(self.grads).items()}


class RNN:
    """A from-scratch NumPy recurrent network, vectorised over the batch.

    ``RNN(input_size=3, hidden_size=16, output_size=1)``; every other option is keyword-only
    and documented on ``RNNConfig``. ``params`` is a dict of arrays that optimizers update in
    place; ``seed`` makes initialisation bit-for-bit reproducible.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_size: int,
        *,
        num_layers: int = 1,
        activation: str = "tanh",
        init: str = "orthogonal",
        many_to_many: bool = False,
        bidirectional: bool = False,
        learn_h0: bool = False,
        spectral_radius: float | None = None,
        seed: int = 0,
        dtype: str = "float64",
    ) -> None:
        self.config = RNNConfig(
            input_size=input_size,
            hidden_size=hidden_size,
            output_size=output_size,
            num_layers=num_layers,
            activation=activation,
            init=init,
            many_to_many=many_to_many,
            bidirectional=bidirectional,
            learn_h0=learn_h0,
            spectral_radius=spectral_radius,
            seed=seed,
            dtype=dtype,
        )
        self.activation: Activation = get_activation(activation)
        self.dtype = np.dtype(dtype)
        self.params: dict[str, Array] = self._initial_params()

    @classmethod
    def from_config(cls, config: RNNConfig) -> RNN:
        """Build (and initialise) the model a config describes."""
        return cls(**config.to_dict())

    def _initial_params(self) -> dict[str, Array]:
        cfg = self.config
        rng = np.random.default_rng(cfg.seed)
        drawn: dict[str, Array] = {}
        for layer in range(cfg.num_layers):
            for reverse in cfg.directions:
                weights = inits.recurrent_layer(
                    rng, cfg.init, cfg.layer_input_size(layer), cfg.hidden_size
                )
                if cfg.spectral_radius is not None:
                    weights["W_hh"] = inits.rescale_to_radius(weights["W_hh"], cfg.spectral_radius)
                if cfg.learn_h0:
                    weights["h0"] = np.zeros(cfg.hidden_size)
                drawn.update({param_name(k, layer, reverse): v for k, v in weights.items()})
        drawn.update(inits.output_layer(rng, cfg.init, cfg.feature_size, cfg.output_size))
        # Canonical order, so iteration order (and the divergence report) never depends on init.
        return {name: drawn[name].astype(self.dtype) for name in parameter_shapes(cfg)}

    def copy(self) -> RNN:
        """An independent model with the same config and a copy of the current weights."""
        twin = object.__new__(RNN)
        twin.config, twin.activation, twin.dtype = self.config, self.activation, self.dtype
        twin.params = {k: v.copy() for k, v in self.params.items()}
        return twin

    @property
    def num_parameters(self) -> int:
        """Total number of scalar parameters."""
        return sum(p.size for p in self.params.values())

    # ------------------------------------------------------------------ checks
    def check_inputs(self, X: Array) -> Array:
        """``X`` as an array of the model's dtype, or a ValueError naming the expected shape."""
        X = np.asarray(X, dtype=self.dtype)
        D = self.config.input_size
        if X.ndim != 3 or X.shape[2] != D or X.shape[0] == 0 or X.shape[1] == 0:
            raise ValueError(
                f"X must have shape (batch, time, {D}) with batch, time ≥ 1; got {X.shape}"
            )
        return X

    def check_targets(self, Y: Array, X: Array) -> Array:
        """``Y`` as an array of the model's dtype, shaped for ``X`` and this model's output mode."""
        Y = np.asarray(Y, dtype=self.dtype)
        B, T, _ = X.shape
        O = self.config.output_size
        expected = (B, T, O) if self.config.many_to_many else (B, O)
        if Y.shape != expected:
            kind = "many-to-many" if self.config.many_to_many else "many-to-one"
            raise ValueError(f"Y must have shape {expected} for this {kind} model; got {Y.shape}")
        return Y

    # ------------------------------------------------------------------ forward
    def _h_init(self, layer: int, reverse: bool, batch: int, given: dict[str, Array] | None):
        key = direction_key(layer, reverse)
        if given is not None and key in given:
            return np.asarray(given[key], dtype=self.dtype)  # (B, H)
        h0 = self.params.get(param_name("h0", layer, reverse))
        H = self.config.hidden_size
        if h0 is None:
            return np.zeros((batch, H), dtype=self.dtype)
        return np.broadcast_to(h0, (batch, H))

    def forward(self, X: Array, *, initial_states: dict[str, Array] | None = None) -> ForwardPass:
        """Run every layer and the read-out on ``X (B, T, D)``.

        ``initial_states`` optionally overrides the state before the first step of some
        directions (``{"layer0": (B, H) array}``), e.g. to continue a sequence.
        """
        X = self.check_inputs(X)
        p = self.params
        layer_in = X.transpose(1, 0, 2)  # (T, B, D) time-major view
        caches: dict[str, recurrence.DirectionCache] = {}
        for layer in range(self.config.num_layers):
            outputs = []
            for reverse in self.config.directions:
                inputs = layer_in[::-1] if reverse else layer_in  # (T, B, D_l)
                cache = recurrence.forward(
                    inputs,
                    p[param_name("W_xh", layer, reverse)],
                    p[param_name("W_hh", layer, reverse)],
                    p[param_name("b_h", layer, reverse)],
                    self._h_init(layer, reverse, X.shape[0], initial_states),
                    self.activation,
                )
                caches[direction_key(layer, reverse)] = cache
                outputs.append(cache.states[::-1] if reverse else cache.states)  # (T, B, H)
            layer_in = outputs[0] if len(outputs) == 1 else np.concatenate(outputs, axis=2)
        features = layer_in  # (T, B, F) original time order
        if self.config.many_to_many:
            y_hat = (features @ p["W_hy"] + p["b_y"]).transpose(1, 0, 2)  # (B, T, O)
        else:
            y_hat = self._last_features(caches) @ p["W_hy"] + p["b_y"]  # (B, O)
        return ForwardPass(y_hat=y_hat, features=features, caches=caches)

    def _last_features(self, caches: dict[str, recurrence.DirectionCache]) -> Array:
        """Final state of each top-layer direction (the reverse one ends at t = 0): (B, F)."""
        top = self.config.num_layers - 1
        finals = [caches[direction_key(top, r)].states[-1] for r in self.config.directions]
        return finals[0] if len(finals) == 1 else np.concatenate(finals, axis=1)

    def predict(self, X: Array) -> Array:
        """Predictions ``(B, O)`` or ``(B, T, O)`` for inputs ``X (B, T, D)``."""
        return self.forward(X).y_hat

    # ------------------------------------------------------------------ backward
    def backward(
        self,
        fp: ForwardPass,
        dy_hat: Array,
        *,
        bptt_window: int | None = None,
        input_grads: bool = False,
    ) -> tuple[dict[str, Array], dict[str, Array], Array | None]:
        """Backpropagate ``dy_hat`` (same shape as ``fp.y_hat``) through the whole network.

        Returns ``(grads, dstates, dX)``: parameter gradients, ∂L/∂h_t per direction as
        time-major ``(T, B, H)`` in processing order, and ∂L/∂X ``(B, T, D)`` if asked for.
        ``bptt_window`` truncates BPTT (see ``recurrence.cut_steps``).
        """
        self._check_window(bptt_window)
        cfg, p = self.config, self.params
        H = cfg.hidden_size
        grads, dfeatures, dlast = self._head_backward(fp, dy_hat)
        cuts = recurrence.cut_steps(fp.features.shape[0], bptt_window)
        dstates: dict[str, Array] = {}
        dX = None
        for layer in range(cfg.num_layers - 1, -1, -1):
            need_inputs = layer > 0 or input_grads
            dlayer_in = None
            for i, reverse in enumerate(cfg.directions):
                key = direction_key(layer, reverse)
                cols = slice(i * H, (i + 1) * H)
                direct = None if dfeatures is None else dfeatures[:, :, cols]  # original order
                g = recurrence.backward(
                    fp.caches[key],
                    direct[::-1] if reverse and direct is not None else direct,
                    p[param_name("W_xh", layer, reverse)],
                    p[param_name("W_hh", layer, reverse)],
                    self.activation,
                    final=None if dlast is None else dlast[:, cols],
                    cuts=cuts,
                    input_grads=need_inputs,
                )
                grads[param_name("W_xh", layer, reverse)] = g.W_xh
                grads[param_name("W_hh", layer, reverse)] = g.W_hh
                grads[param_name("b_h", layer, reverse)] = g.b_h
                h0 = param_name("h0", layer, reverse)
                if h0 in p:
                    grads[h0] = g.h_init.sum(axis=0)  # (H,) h0 is shared by the batch
                dstates[key] = g.dstates
                if need_inputs:
                    d_in = g.inputs[::-1] if reverse else g.inputs  # (T, B, D_l) original order
                    dlayer_in = d_in if dlayer_in is None else dlayer_in + d_in
            dfeatures, dlast = dlayer_in, None  # what the layer below receives
            if layer == 0 and input_grads:
                dX = dlayer_in.transpose(1, 0, 2)  # (B, T, D)
        return {name: grads[name] for name in p}, dstates, dX

    def _check_window(self, bptt_window: int | None) -> None:
        if bptt_window is None:
            return
        if not (isinstance(bptt_window, int) and bptt_window >= 1):
            raise ValueError(f"bptt_window must be a positive integer or None; got {bptt_window!r}")
        if self.config.bidirectional:
            raise ValueError(
                "truncated BPTT needs a unidirectional RNN: the reverse direction reads the "
                "future, so there is no past to cut; set bptt_window=None"
            )

    def _head_backward(self, fp: ForwardPass, dy_hat: Array):
        """Read-out gradients, and what reaches the top layer's states.

        Many-to-many: ``dfeatures (T, B, F)`` at every step. Many-to-one: only the last
        *processed* step of each direction gets ``dlast (B, F)`` (t = T−1 forward, t = 0
        reversed), so no (T, B, F) array of zeros is built.
        """
        p, O = self.params, self.config.output_size
        if self.config.many_to_many:
            dy = dy_hat.transpose(1, 0, 2)  # (T, B, O)
            F = fp.features.shape[2]
            grads = {
                "W_hy": fp.features.reshape(-1, F).T @ dy.reshape(-1, O),  # (F, O)
                "b_y": dy.sum(axis=(0, 1)),
            }
            return grads, dy @ p["W_hy"].T, None  # (T, B, F) original time order
        grads = {"W_hy": self._last_features(fp.caches).T @ dy_hat, "b_y": dy_hat.sum(axis=0)}
        return grads, None, dy_hat @ p["W_hy"].T  # (B, F)

    def loss_and_grads(self, X: Array, Y: Array, *, bptt_window: int | None = None) -> LossAndGrads:
        """MSE loss on a minibatch, its gradients and the per-step diagnostics."""
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X)
        fp = self.forward(X)
        err = fp.y_hat - Y  # (B, O) or (B, T, O)
        loss = float(np.vdot(err, err)) / err.size
        grads, dstates, _ = self.backward(fp, err * (2.0 / err.size), bptt_window=bptt_window)
        return LossAndGrads(loss, grads, fp.y_hat, fp.caches, dstates)


def _is_reverse(key: str) -> bool:
    return key.endswith("_rev")


def _batch_first(a: Array, key: str) -> Array:
    """Time-major processing order (T, B, H) -> batch-first original order (B, T, H)."""
    return (a[::-1] if _is_reverse(key) else a).transpose(1, 0, 2)


def _time_norms(dstates: Array, key: str) -> Array:
    """‖∂L/∂h_t‖ over batch and units for every t, original time order: (T,)."""
    norms = np.sqrt(np.einsum("tbh,tbh->t", dstates, dstates))  # (T,)
    return norms[::-1] if _is_reverse(key) else norms
