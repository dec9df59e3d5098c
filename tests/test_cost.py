"""rnn_core.cost: a run's memory known before it is allocated, checked against a real run."""

import tracemalloc

import numpy as np
import pytest

from rnn_core import RNN, Trainer
from rnn_core.cost import (
    EVAL_BYTES,
    EVAL_WINDOWS,
    eval_chunk,
    forward_bytes,
    forward_flops,
    step_flops,
    training_bytes,
)
from rnn_core.optim import SGD


@pytest.mark.parametrize(
    "options",
    [{"num_layers": 2}, {"bidirectional": True, "many_to_many": True}, {"learn_h0": True}],
)
@pytest.mark.parametrize("staged", [True, False], ids=["time-major epoch", "batch-major epoch"])
def test_the_estimate_matches_what_a_trainer_allocates(options, staged, monkeypatch):
    if not staged:  # a large training set: one shuffled copy in the given layout
        monkeypatch.setattr("rnn_core.cost.STAGED_EPOCH_BYTES", 0)
    n, T, B = 1500, 30, 128  # 1500 % 128 leaves a short last batch: a second workspace
    model = RNN(3, 24, 2, **options)
    rng = np.random.default_rng(0)
    targets = (n, T, 2) if model.config.many_to_many else (n, 2)
    X, Y = rng.standard_normal((n, T, 3)), rng.standard_normal(targets)
    X_val, Y_val = X[:700].copy(), Y[:700].copy()
    tracemalloc.start()
    try:
        trainer = Trainer(model, SGD(0.01), X, Y, X_val, Y_val, batch_size=B, val_every=4)
        assert trainer._minibatches.time_major is staged
        trainer.step(trainer.batches_per_epoch)  # every batch shape, and validations
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    estimate = training_bytes(model.config, batch=B, length=T, n_train=n, n_val=700)
    # An estimate for refusing runs: never well below the truth, never far above it.
    assert 0.85 * estimate <= peak <= 1.05 * estimate


def test_large_models_are_evaluated_in_chunks_that_bound_memory():
    small, large = RNN(2, 16, 1).config, RNN(2, 512, 1, num_layers=4).config
    assert eval_chunk(small, 20) == EVAL_WINDOWS
    chunk = eval_chunk(large, 400)
    assert 1 <= chunk < EVAL_WINDOWS
    assert forward_bytes(large, chunk, 400) <= EVAL_BYTES < forward_bytes(large, chunk + 1, 400)


def test_evaluating_in_chunks_gives_the_whole_set_s_loss(monkeypatch):
    model = RNN(3, 8, 1)
    rng = np.random.default_rng(1)
    X, Y = rng.standard_normal((500, 12, 3)), rng.standard_normal((500, 1))
    trainer = Trainer(model, SGD(0.01), X, Y)
    monkeypatch.setattr("rnn_core.cost.EVAL_BYTES", forward_bytes(model.config, 37, 12))
    assert eval_chunk(model.config, 12) == 37  # 14 chunks, the last one short
    assert trainer.evaluate(X, Y) == pytest.approx(np.mean((model.predict(X) - Y) ** 2), 1e-12)


def test_operations_are_counted_per_product():
    """Weather-sized: per step 2·B·H·(D + 1 + H) for [x, 1] @ [W_xh; b_h] and h @ W_hh."""
    config = RNN(3, 4, 1).config
    per_step = 2 * 32 * 4 * (3 + 1 + 4)
    readout = 2 * 32 * 4 * 1
    assert forward_flops(config, 32, 7) == 7 * per_step + readout
    assert step_flops(config, 32, 7) == 3 * forward_flops(config, 32, 7)
    stacked = RNN(3, 4, 1, num_layers=2, bidirectional=True).config  # layer 2 reads 2H = 8
    layer_1, layer_2 = 2 * 32 * 4 * (3 + 1 + 4), 2 * 32 * 4 * (8 + 1 + 4)
    assert forward_flops(stacked, 32, 7) == 7 * 2 * (layer_1 + layer_2) + 2 * 32 * 8 * 1
