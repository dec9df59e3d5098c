"""The RNN's architecture as a validated, serialisable record, and its parameter names.

Parameter names (as in the README's engine API): ``W_xh (D, H)``, ``W_hh (H, H)``, ``b_h (H,)``,
``h0 (H,)`` (when learnable), ``W_hy (F, O)``, ``b_y (O,)``. Stacked layers add ``.1``,
``.2``, … and the reverse direction of a bidirectional layer adds ``_rev`` before that, e.g.
``W_hh_rev.1`` (PyTorch's ``weight_hh_l1_reverse``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import numpy as np

from .activations import ACTIVATIONS
from .init import INITS

DTYPES = ("float64", "float32")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class RNNConfig:
    """Everything needed to rebuild an RNN bit for bit (with its seed).

    - ``input_size`` D, ``hidden_size`` H, ``output_size`` O: the widths of x_t, h_t and y.
    - ``num_layers``: stacked layers; layer l + 1 reads layer l's states as its inputs.
    - ``activation``: f in h_t = f(z_t), one of ``activations.ACTIVATIONS``.
    - ``init``: how the weights are drawn (``init.INITS``); ``spectral_radius`` then rescales
      every ``W_hh`` so its largest |eigenvalue| is that value (None keeps the init's own).
    - ``many_to_many``: a prediction at every step instead of one after the last step.
    - ``bidirectional``: a second direction reads the sequence backwards (``_rev`` weights);
      the read-out sees both, so it is F = 2H wide.
    - ``learn_h0``: the initial state h0 is a parameter (seed 003) instead of zeros.
    - ``seed``: the initialisation's random seed; ``dtype``: ``float64`` or ``float32``.
    """

    input_size: int
    hidden_size: int
    output_size: int
    num_layers: int = 1
    activation: str = "tanh"
    init: str = "orthogonal"
    many_to_many: bool = False
    bidirectional: bool = False
    learn_h0: bool = False
    spectral_radius: float | None = None
    seed: int = 0
    dtype: str = "float64"

    def __post_init__(self) -> None:
        """Reject a bad value with a sentence that names the argument and what is valid."""
        for name in ("input_size", "hidden_size", "output_size", "num_layers"):
            value = getattr(self, name)
            _require(
                _is_int(value) and value >= 1, f"{name} must be a positive integer; got {value!r}"
            )
        _require(
            self.activation in ACTIVATIONS,
            f"activation must be one of {', '.join(ACTIVATIONS)}; got {self.activation!r}",
        )
        _require(self.init in INITS, f"init must be one of {', '.join(INITS)}; got {self.init!r}")
        _require(
            self.dtype in DTYPES, f"dtype must be one of {', '.join(DTYPES)}; got {self.dtype!r}"
        )
        _require(
            _is_int(self.seed) and self.seed >= 0, f"seed must be an integer ≥ 0; got {self.seed!r}"
        )
        if self.spectral_radius is not None:
            r = self.spectral_radius
            _require(
                isinstance(r, int | float) and np.isfinite(r) and 0 < r <= 100,
                f"spectral_radius must be a number in (0, 100] or None; got {r!r}",
            )

    @property
    def directions(self) -> tuple[bool, ...]:
        """``(False,)`` or ``(False, True)``: whether each direction runs reversed in time."""
        return (False, True) if self.bidirectional else (False,)

    @property
    def feature_size(self) -> int:
        """Width of what a layer emits: H, or 2H when bidirectional."""
        return self.hidden_size * len(self.directions)

    def layer_input_size(self, layer: int) -> int:
        """D for the first layer, the previous layer's feature size above it."""
        return self.input_size if layer == 0 else self.feature_size

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RNNConfig:
        """Inverse of ``to_dict``; unknown keys are an error, not silently dropped."""
        unknown = set(values) - set(cls.__dataclass_fields__)
        _require(not unknown, f"unknown RNN config fields: {', '.join(sorted(unknown))}")
        return cls(**values)


def direction_key(layer: int, reverse: bool) -> str:
    """Name of one direction of one layer in diagnostics: ``layer0``, ``layer0_rev``, etc."""
    return f"layer{layer}" + ("_rev" if reverse else "")


def param_name(base: str, layer: int, reverse: bool = False) -> str:
    """``W_hh`` for layer 0, ``W_hh.1`` for layer 1, ``W_hh_rev.1`` for its reverse direction."""
    return base + ("_rev" if reverse else "") + (f".{layer}" if layer else "")


def parameter_shapes(config: RNNConfig) -> dict[str, tuple[int, ...]]:
    """Every parameter's name and shape, in the model's canonical order."""
    H = config.hidden_size
    shapes: dict[str, tuple[int, ...]] = {}
    for layer in range(config.num_layers):
        for reverse in config.directions:
            # b_h right after W_xh: in memory they form the input map [W_xh; b_h] (see flat.py).
            shapes[param_name("W_xh", layer, reverse)] = (config.layer_input_size(layer), H)
            shapes[param_name("b_h", layer, reverse)] = (H,)
            shapes[param_name("W_hh", layer, reverse)] = (H, H)
            if config.learn_h0:
                shapes[param_name("h0", layer, reverse)] = (H,)
    shapes["W_hy"] = (config.feature_size, config.output_size)
    shapes["b_y"] = (config.output_size,)
    return shapes


class Direction(NamedTuple):
    """One direction of one layer: its parameters' names and its columns in the layer's output.

    The forward direction's columns come first, then the reverse one's.
    """

    layer: int
    reverse: bool
    key: str
    W_xh: str
    W_hh: str
    b_h: str
    h0: str
    cols: slice


def directions(config: RNNConfig) -> tuple[Direction, ...]:
    """Every (layer, direction) of a model with its parameter names, bottom layer first."""
    H = config.hidden_size
    return tuple(
        Direction(
            layer,
            reverse,
            direction_key(layer, reverse),
            *(param_name(base, layer, reverse) for base in ("W_xh", "W_hh", "b_h", "h0")),
            slice(int(reverse) * H, (int(reverse) + 1) * H),
        )
        for layer in range(config.num_layers)
        for reverse in config.directions
    )
