"""Pascanu et al.'s cliff: flat almost everywhere, a wall of huge gradients, clipping tames it."""

import numpy as np
import pytest

from dashboard.lab_view import CLIFF_MIN_W
from rnn_core.cliff import find_wall, gradient_step, loss_and_grad

NEAR = (5.5325, -2.9438)  # the start, rounded to four decimals


def test_gradient_matches_finite_differences():
    w, b = np.array([4.5, 5.5, 6.5]), np.array([-3.5, -2.5, -2.0])
    p = loss_and_grad(w, b)
    eps = 1e-6
    dw = (loss_and_grad(w + eps, b).loss - loss_and_grad(w - eps, b).loss) / (2 * eps)
    db = (loss_and_grad(w, b + eps).loss - loss_and_grad(w, b - eps).loss) / (2 * eps)
    np.testing.assert_allclose(p.dw, dw, rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(p.db, db, rtol=1e-5, atol=1e-9)


def test_the_surface_is_flat_with_a_wall():
    w, b = np.meshgrid(np.linspace(4, 7, 600), np.linspace(-4, -1.5, 600))
    norms = loss_and_grad(w, b).grad_norm
    assert norms.shape == (600, 600)
    assert norms.max() >= 1e3
    assert np.median(norms) < 0.1


def test_the_wall_is_within_rounding_of_the_default_start():
    w, b = NEAR
    wall = find_wall(w)
    assert abs(wall - b) < 1e-4
    assert loss_and_grad(w, wall).grad_norm > 1e3 > 1.0 > loss_and_grad(w, b).grad_norm


@pytest.mark.parametrize("w", [CLIFF_MIN_W, 5.0, 6.0, 7.0])
def test_the_wall_is_found_at_any_w_of_the_chart(w):
    wall = find_wall(w)
    assert -4.0 < wall < -1.5
    assert loss_and_grad(w, wall).grad_norm > 100  # on the plateau it is below 0.2
    step = np.hypot(*np.subtract(gradient_step(w, wall, lr=0.1), (w, wall)))
    assert step > 10  # an unclipped step from it flies off


def test_unclipped_step_flies_off_and_clipped_step_stays_put():
    start = (NEAR[0], find_wall(NEAR[0]))
    unclipped = np.hypot(*np.subtract(gradient_step(*start, lr=0.1), start))
    clipped = np.hypot(*np.subtract(gradient_step(*start, lr=0.1, clip=1.0), start))
    assert unclipped > 10
    assert clipped == pytest.approx(0.1, rel=1e-5)
