"""Process settings for training: one BLAS thread, and glibc keeping freed work arrays."""

import sys

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from rnn_core import RNN, Trainer, make_optimizer
from rnn_core.runtime import blas_threads, keep_freed_memory


def blas_thread_counts():
    return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}


def test_blas_threads_limits_inside_and_restores_after():
    before = blas_thread_counts()
    with blas_threads(1):
        assert blas_thread_counts() == {1}
    assert blas_thread_counts() == before


def test_trainer_steps_on_one_blas_thread_by_default(monkeypatch):
    seen = []
    model = RNN(1, 3, 1)
    original = model._loss_and_grads_time_major  # what Trainer.step calls for every minibatch

    def spy(*args, **kwargs):
        seen.append(blas_thread_counts())
        return original(*args, **kwargs)

    monkeypatch.setattr(model, "_loss_and_grads_time_major", spy)
    X = np.zeros((8, 4, 1))
    Trainer(model, make_optimizer("sgd", 0.1), X, X[:, -1]).step(2)
    assert seen == [{1}, {1}]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt is glibc's")
def test_keep_freed_memory_is_accepted_by_glibc():
    assert keep_freed_memory() is True
