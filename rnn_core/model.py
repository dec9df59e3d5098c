"""The vanilla RNN: stacked, optionally bidirectional, many-to-one or many-to-many.

    h_t = f(x_t @ W_xh + h_{t-1} @ W_hh + b_h)        y = h @ W_hy + b_y

Public arrays are batch-first: ``X (B, T, D)``, targets ``(B, O)`` (many-to-one: read out the
last state of each direction; the reverse direction's last state is the one after reading x_0,
PyTorch's ``h_n``, not ``output[:, -1]``) or ``(B, T, O)`` (many-to-many). The loss is the
mean squared error over all elements, like ``torch.nn.MSELoss()``. One call to
``loss_and_grads`` returns the loss, gradients keyed like ``params`` and what a teacher wants
to plot, so no caller has to redo the maths.
"""

from __future__ import annotations

import operator
from functools import cached_property

import numpy as np

from . import flat, head, recurrence
from . import init as inits
from .activations import Activation, get_activation
from .config import (
    Direction,
    RNNConfig,
    direction_key,
    directions,
    param_name,
    parameter_shapes,
)
from .passes import ForwardPass, LossAndGrads
from .workspace import Workspace, input_maps, time_major

Array = np.ndarray


class RNN:
    """A from-scratch NumPy recurrent network, vectorised over the batch.

    ``RNN(input_size=3, hidden_size=16, output_size=1)``; every other option is keyword-only
    and documented on ``RNNConfig``. ``params`` is a dict of arrays that optimizers update in
    place (views into one flat vector, ``parameter_vector()``); ``seed`` makes initialisation
    bit-for-bit reproducible.
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
        self._store(self._initial_params())

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
        return {name: drawn[name] for name in parameter_shapes(cfg)}

    def _store(self, values: dict[str, Array]) -> None:
        """Copy ``values`` into a fresh flat vector; ``params`` becomes views into it."""
        shapes = parameter_shapes(self.config)
        self._vector = np.empty(flat.size_of(shapes), self.dtype)
        self._views = flat.views(self._vector, shapes)
        for name, view in self._views.items():
            view[...] = values[name]
        self.params: dict[str, Array] = dict(self._views)
        self._input_maps = input_maps(self._vector, self.config)  # [W_xh; b_h] per direction

    def parameter_vector(self) -> Array:
        """Every parameter in one flat vector that ``params`` are views of (writes go through).

        If an entry of ``params`` was replaced by a new array (rather than written in place),
        the vector is rebuilt from the current entries first.
        """
        current = map(self.params.get, self._views)
        if not all(map(operator.is_, current, self._views.values())):
            self._store(self.params)
        return self._vector

    def copy(self) -> RNN:
        """An independent model with the same config and a copy of the current weights."""
        twin = object.__new__(RNN)
        twin.config, twin.activation, twin.dtype = self.config, self.activation, self.dtype
        twin._store(self.params)
        return twin

    def workspace(self, batch: int, length: int) -> Workspace:
        """Preallocated memory for ``loss_and_grads`` on batches of ``batch`` × ``length``."""
        return Workspace(self.config, self.dtype, batch, length)

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
    @cached_property
    def _directions(self) -> tuple[Direction, ...]:
        """Every (layer, direction) with its parameter names, bottom layer first."""
        return directions(self.config)

    @cached_property
    def _directions_per_layer(self) -> int:
        return len(self.config.directions)

    def _h_init(self, d: Direction, given: dict[str, Array]) -> Array | None:
        """State before the first step: given, learnt (h0, broadcast over the batch) or None (0)."""
        if d.key in given:
            return np.asarray(given[d.key], dtype=self.dtype)  # (B, H)
        return self.params.get(d.h0)  # (H,) broadcasts over the batch

    def forward(
        self,
        X: Array,
        *,
        initial_states: dict[str, Array] | None = None,
        workspace: Workspace | None = None,
    ) -> ForwardPass:
        """Run every layer and the read-out on ``X (B, T, D)``.

        ``initial_states`` optionally overrides the state before the first step of some
        directions (``{"layer0": (B, H) array}``), e.g. to continue a sequence.
        ``workspace`` (see ``workspace()``) is memory to reuse instead of allocating.
        """
        X = self.check_inputs(X)
        if workspace is not None:
            workspace.check_fits(X)
        self.parameter_vector()  # re-packs params if an entry was replaced
        return self._forward(X, initial_states, workspace)

    def _forward(
        self,
        X: Array | None,
        initial_states: dict[str, Array] | None,
        workspace: Workspace | None,
        inputs_1: Array | None = None,
    ) -> ForwardPass:
        """``forward`` without its checks; the parameters must be packed (``parameter_vector``).

        A trainer may pass ``inputs_1`` instead of ``X``: the minibatch time-major as
        ``[x_t, 1]`` rows ``(T, B, D+1)`` (``recurrence.with_ones``), which copy faster.
        """
        p = self.params
        # (T, B, D) time-major view; with inputs_1 the first direction reads those instead
        layer_in = X.transpose(1, 0, 2) if inputs_1 is None else None
        caches: dict[str, recurrence.DirectionCache] = {}
        outputs: list[Array] = []
        for d in self._directions:
            if d.layer and not d.reverse:  # a new layer: its input is the one below's output
                layer_in = outputs[0] if len(outputs) == 1 else np.concatenate(outputs, axis=2)
                outputs = []
            if layer_in is None and d.reverse:  # the reverse direction of the first layer
                layer_in = inputs_1[:, :, :-1]
            cache = recurrence.forward(
                layer_in[::-1] if d.reverse else layer_in,  # (T, B, D_l) processing order
                self._input_maps[d.key],  # [W_xh; b_h]
                p[d.W_hh],
                p.get(d.h0) if initial_states is None else self._h_init(d, initial_states),
                self.activation,
                None if workspace is None else workspace.caches[d.key],
                inputs_1 if d.layer == 0 and not d.reverse else None,
            )
            caches[d.key] = cache
            states = cache.states  # (T, B, H)
            outputs.append(states[::-1] if d.reverse else states)
        features = outputs[0] if len(outputs) == 1 else np.concatenate(outputs, axis=2)
        if not self.config.many_to_many:
            y_hat = head.read_out(p, head.last_features(caches, self._top_keys), workspace)
            return ForwardPass(y_hat, features, caches)
        T, B, F = features.shape
        # Every step's read-out is one 2-D product (``dot`` on a 3-D array skips BLAS).
        top = caches[self._top_keys[0]]  # a lone top direction's states are already rows
        feature_rows = top.state_rows if len(outputs) == 1 else features.reshape(-1, F)
        y_rows = head.read_out(p, feature_rows, workspace)  # (T·B, O)
        if workspace is None:
            y_hat = y_rows.reshape(T, B, -1).transpose(1, 0, 2)  # (B, T, O)
        else:
            y_hat = workspace.outputs_like_y  # the same view, made once
        return ForwardPass(y_hat, features, caches, feature_rows)

    @cached_property
    def _top_keys(self) -> tuple[str, ...]:
        top = self.config.num_layers - 1
        return tuple(direction_key(top, r) for r in self.config.directions)

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
        workspace: Workspace | None = None,
    ) -> tuple[dict[str, Array], dict[str, Array], Array | None]:
        """Backpropagate ``dy_hat`` (same shape as ``fp.y_hat``) through the whole network.

        Returns ``(grads, dstates, dX)``: parameter gradients (views into one flat vector),
        ∂L/∂h_t per direction as time-major ``(T, B, H)`` in processing order, and ∂L/∂X
        ``(B, T, D)`` if asked for. ``bptt_window`` truncates BPTT (see
        ``recurrence.cut_steps``). With a ``workspace`` the gradients go into its memory.
        """
        self._check_window(bptt_window)
        dy_hat = np.asarray(dy_hat, dtype=self.dtype)  # a float64 gradient for a float32 model
        if dy_hat.shape != fp.y_hat.shape:
            raise ValueError(
                f"dy_hat must have the shape of fp.y_hat, {fp.y_hat.shape}; got {dy_hat.shape}"
            )
        if workspace is None:
            T, B, _ = fp.features.shape
            workspace = self.workspace(B, T)
        self.parameter_vector()  # re-packs params if an entry was replaced
        return self._backward(fp, dy_hat, bptt_window, input_grads, workspace)

    def _backward(
        self,
        fp: ForwardPass,
        dy_hat: Array,
        bptt_window: int | None,
        input_grads: bool,
        workspace: Workspace,
    ) -> tuple[dict[str, Array], dict[str, Array], Array | None]:
        p, grads = self.params, workspace.grads
        n_dirs = self._directions_per_layer
        dfeatures, dlast = head.backward(p, fp, dy_hat, workspace, self._top_keys)
        cuts = (
            recurrence.NO_CUTS
            if bptt_window is None
            else recurrence.cut_steps(fp.features.shape[0], bptt_window)
        )
        dstates: dict[str, Array] = {}
        dlayer_in: Array | None = None
        for d in reversed(self._directions):
            i, cols = int(d.reverse), d.cols
            # Original time order; one direction takes all of it (the head may have written it
            # straight into that direction's buffer, which saves a copy).
            direct = dfeatures if n_dirs == 1 or dfeatures is None else dfeatures[:, :, cols]
            buffers = recurrence.backward(
                fp.caches[d.key],
                direct[::-1] if d.reverse and direct is not None else direct,
                p[d.W_hh],
                self.activation,
                (workspace.input_map_grads[d.key], grads[d.W_hh]),
                final=None if dlast is None else dlast[:, cols],
                cuts=cuts,
                buffers=workspace.backward[d.key],
            )
            if d.h0 in p:  # h0 is shared by the batch: its gradient sums over it
                np.sum(recurrence.init_gradient(buffers, p[d.W_hh]), axis=0, out=grads[d.h0])
            dstates[d.key] = buffers.dstates
            if d.layer or input_grads:
                d_in = recurrence.input_gradient(buffers, p[d.W_xh])  # (T, B, D_l)
                d_in = d_in[::-1] if d.reverse else d_in  # original order
                dlayer_in = d_in if i == n_dirs - 1 else dlayer_in + d_in
            if i == 0:  # the layer is done: the one below receives what reached its inputs
                dfeatures, dlast = dlayer_in, None
        dX = dlayer_in.transpose(1, 0, 2) if input_grads else None  # (B, T, D)
        return grads, dstates, dX

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

    def loss_and_grads(
        self,
        X: Array,
        Y: Array,
        *,
        bptt_window: int | None = None,
        workspace: Workspace | None = None,
    ) -> LossAndGrads:
        """MSE loss on a minibatch, its gradients and the per-step diagnostics.

        With a ``workspace`` (from ``workspace(B, T)``; a trainer keeps one) no per-step
        ``(T, B, H)`` array is allocated, and the result is valid until the next call with
        that workspace.
        """
        X = self.check_inputs(X)
        Y = self.check_targets(Y, X)
        self._check_window(bptt_window)
        B, T, _ = X.shape
        if workspace is None:
            workspace = self.workspace(B, T)
        else:
            workspace.check_fits(X)
        self.parameter_vector()  # re-packs params if an entry was replaced
        return self._loss_and_grads(X, Y, bptt_window, workspace)

    def _loss_and_grads(
        self, X: Array, Y: Array, bptt_window: int | None, workspace: Workspace
    ) -> LossAndGrads:
        """``loss_and_grads`` without its checks; the parameters must be packed.

        A trainer that made the checks once calls ``_loss_and_grads_time_major`` instead.
        """
        fp = self._forward(X, None, workspace)
        return self._loss_from(fp, time_major(Y), bptt_window, workspace)

    def _loss_and_grads_time_major(
        self, inputs_1: Array, Y: Array, bptt_window: int | None, workspace: Workspace
    ) -> LossAndGrads:
        """``loss_and_grads`` for a trainer that keeps its epoch time-major and checked.

        ``inputs_1`` are the minibatch's ``[x_t, 1]`` rows ``(T, B, D+1)``
        (``recurrence.with_ones``) and ``Y`` its targets, ``(T, B, O)`` or ``(B, O)``. The
        parameters must be packed: a trainer calls ``parameter_vector`` once per run of
        steps, not once per step.
        """
        fp = self._forward(None, None, workspace, inputs_1)
        return self._loss_from(fp, Y, bptt_window, workspace)

    def _loss_from(
        self, fp: ForwardPass, Y: Array, bptt_window: int | None, workspace: Workspace
    ) -> LossAndGrads:
        """The loss of a forward pass on time-major targets ``Y``, then its backward pass."""
        err = workspace.errors  # (B, O), or (T, B, O) time-major like the read-out
        np.subtract(workspace.outputs, Y, out=err)
        loss = float(np.vdot(err, err)) / err.size
        np.multiply(err, 2.0 / err.size, out=err)  # now ∂L/∂ŷ
        grads, dstates, _ = self._backward(
            fp, workspace.errors_like_y, bptt_window, False, workspace
        )
        return LossAndGrads(loss, grads, workspace.grad_vector, fp.y_hat, fp.caches, dstates)
