"""TrainingJob: background thread, pause, budget, snapshots and the reaper."""

import threading

import numpy as np
import pytest

from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.job import TrainingJob, next_turn
from dashboard.reaper import REAP_AFTER, reap_stale_jobs

TIMEOUT = 60.0


def make_job(inline=False, **overrides):
    config = RunConfig(**{"epochs": 3, **overrides})
    data = load_data(config)
    return TrainingJob(config, data, build_trainer(config, data), inline=inline)


def test_thread_trains_in_the_background_until_the_budget():
    job = make_job()
    job.play()
    assert job.wait_for(job.max_steps, TIMEOUT)
    assert job.trainer.step_count == job.max_steps
    assert job.snapshot().status == "finished"
    assert not job.playing
    job.stop()
    job._thread.join(TIMEOUT)
    assert not job._thread.is_alive()


def test_a_finished_thread_job_trains_longer_on_the_same_thread():
    job = make_job(epochs=1)
    job.play()
    assert job.wait_for(job.max_steps, TIMEOUT)
    first_budget, thread = job.max_steps, job._thread
    job.train_longer()
    assert job.max_steps == 2 * first_budget
    job.play()
    assert job.wait_for(job.max_steps, TIMEOUT)
    assert job.trainer.step_count == 2 * first_budget
    assert job._thread is thread
    job.stop()


def test_a_diverged_or_unfinished_job_gets_no_extra_budget():
    unfinished = make_job(inline=True)
    budget = unfinished.max_steps
    unfinished.train_longer()
    assert unfinished.max_steps == budget
    diverged = make_job(
        inline=True, activation="linear", optimizer="sgd", lr=50.0, clip="none", spectral_radius=2.0
    )
    diverged.step_once(50)
    assert diverged.trainer.diverged is not None
    diverged.train_longer()
    assert diverged.max_steps == budget and not diverged.finished


def test_pause_stops_the_thread_between_chunks():
    job = make_job(epochs=1000)
    job.play()
    assert job.wait_for(5, TIMEOUT)
    job.pause()
    with job._lock:  # the chunk in flight has finished once we hold the lock
        frozen = job.trainer.step_count
    assert not job.wait_for(frozen + 1, 0.3)
    assert job.snapshot().status == "paused"
    job.stop()


def test_a_paced_job_waits_its_turn_and_a_new_pace_applies_at_once():
    job = make_job(epochs=2)
    job.pace = 0.01  # one step per 100 s: the second step is far away
    job.play()
    assert job.wait_for(1, TIMEOUT)
    with job._lock:
        assert job.trainer.step_count == 1
    assert job.playing
    job.pace = None  # full speed now, not after the 100 s the old pace scheduled
    assert job.wait_for(job.max_steps, TIMEOUT)
    job.pace = 0.01
    job.train_longer()
    job.play()
    assert job.wait_for(job.max_steps // 2 + 1, TIMEOUT)
    job.stop()  # ends the paced wait too
    job._thread.join(TIMEOUT)
    assert not job._thread.is_alive()


def test_a_pace_set_during_a_step_is_not_undone_by_the_steps_end():
    job = make_job(epochs=2)
    job.pace = 0.01  # the next turn would be 100 s after this step
    stepping, go_on = threading.Event(), threading.Event()
    step = job.trainer.step

    def held_step(n, **options):
        stepping.set()
        go_on.wait(TIMEOUT)
        return step(n, **options)

    job.trainer.step = held_step
    job.play()
    assert stepping.wait(TIMEOUT)
    job.pace = 1000.0  # while the first step runs
    go_on.set()
    assert job.wait_for(3, TIMEOUT)  # at the new pace, not 100 s later
    job.stop()


def test_a_paced_job_keeps_its_schedule_and_never_catches_up_in_a_burst():
    assert next_turn(due=10.0, now=10.01, pace=4) == 10.25  # on time: one interval on
    assert next_turn(due=10.0, now=13.0, pace=4) == 13.0  # behind (a pause): from now on


def test_snapshot_is_a_copy():
    job = make_job(inline=True)
    job.step_once(5)
    snap = job.snapshot()
    job.step_once(5)
    assert snap.step == 5 and job.trainer.step_count == 10
    assert not np.array_equal(snap.model.params["W_hh"], job.trainer.model.params["W_hh"])
    assert len(snap.history["step"]) == 5


def test_inline_ticks_only_while_playing():
    job = make_job(inline=True)
    job.tick()
    assert job.trainer.step_count == 0
    job.play()
    job.tick()
    assert job.trainer.step_count > 0


def test_reaper_stops_jobs_without_heartbeat_and_spares_live_ones():
    fresh, stale = make_job(epochs=1000), make_job(epochs=1000)
    fresh.play()
    stale.play()
    assert stale.wait_for(1, TIMEOUT) and fresh.wait_for(1, TIMEOUT)
    stale.last_seen -= REAP_AFTER + 1  # its tab went silent long ago
    assert reap_stale_jobs() == 1
    stale._thread.join(TIMEOUT)
    assert not stale._thread.is_alive() and not stale.playing
    assert fresh.playing
    fresh.stop()


@pytest.mark.parametrize("field", ["hidden_size", "lr", "batch_size"])
def test_config_rejects_absurd_values(field):
    from dashboard.config import ConfigError

    with pytest.raises(ConfigError, match="must be a"):
        RunConfig(**{field: -1})


def test_the_training_thread_lets_a_waiting_page_take_the_lock_first():
    """threading.Lock is not fair; without the page's turn a training thread starved it."""
    job = make_job()
    with job._locked_for_page():  # a page holds (or waits for) the lock
        trainer_side = threading.Thread(target=job._let_page_go_first)
        trainer_side.start()
        trainer_side.join(0.5)
        assert trainer_side.is_alive(), "the training thread did not wait for the page"
    trainer_side.join(TIMEOUT)
    assert not trainer_side.is_alive()
    assert job._pages_waiting == 0


def test_snapshots_while_training_do_not_stop_training():
    job = make_job(epochs=1000)
    job.play()
    steps = [job.snapshot().step for _ in range(20)]
    assert job.wait_for(steps[-1] + 10, TIMEOUT)
    assert steps == sorted(steps)
    job.stop()


def test_after_loading_weights_the_snapshot_describes_them_not_the_old_model():
    job = make_job(inline=True)
    job.step_once(20)
    before = job.snapshot()
    assert before.last_train_loss is not None and before.dh_norms is not None

    def shrink(model):
        model.parameter_vector()[:] *= 0.1

    job.replace_weights(shrink)
    loaded = job.snapshot()
    t = job.trainer
    assert loaded.last_val_loss == t.evaluate(t.X_val, t.y_val) != before.last_val_loss
    assert loaded.last_train_loss is None and loaded.dh_norms is None  # not trained on yet
    job.step_once(1)
    after = job.snapshot()
    assert after.last_train_loss is not None and after.dh_norms is not None


def test_after_a_blow_up_the_snapshot_keeps_the_last_finite_gradient_through_time():
    job = make_job(inline=True, optimizer="sgd", lr=100.0, clip="none")
    for _ in range(20):  # 20-step ticks, as the page plays it, until the blow-up
        job.play()
        job.tick()
        if job.trainer.diverged:
            break
    report = job.trainer.diverged
    assert report is not None and report.step > 20
    snap = job.snapshot()
    assert snap.dh_step is not None and snap.dh_step < report.step
    assert snap.dh_step % 20 == 0  # the end of a tick that did not blow up
    norms = snap.dh_norms["layer0"]
    assert (np.isfinite(norms) & (norms > 0)).any()  # something a log axis can draw
    current = job.trainer.last.dh_norms["layer0"]  # what the blow-up left in the trainer
    assert not np.array_equal(current, norms)


def test_a_blow_up_at_the_first_step_leaves_no_gradient_to_draw():
    job = make_job(inline=True, activation="relu", init="identity", spectral_radius=2.0)
    job.trainer.model.params["W_hh"][...] *= 1e200  # the untrained network overflows
    job.step_once(10)
    assert job.trainer.diverged.step == 1
    snap = job.snapshot()
    assert snap.dh_norms is None and snap.dh_step is None


@pytest.mark.parametrize(
    ("error", "fragment"),
    [(MemoryError(), "ran out of memory"), (RuntimeError("boom"), "RuntimeError: boom")],
)
def test_an_error_in_training_ends_the_run_with_a_reason(monkeypatch, error, fragment):
    def fail(n, **_):
        raise error

    threaded, stepped = make_job(), make_job(inline=True)
    for job in (threaded, stepped):
        monkeypatch.setattr(job.trainer, "step", fail)
    threaded.play()  # the error strikes in the training thread…
    assert threaded.wait_for(threaded.max_steps, TIMEOUT)
    stepped.step_once()  # …or in the Step button's callback, which must not raise
    for job in (threaded, stepped):
        snap = job.snapshot()
        assert snap.status == "failed" and fragment in snap.failure
        assert job.done and not job.playing and not job.finished
    threaded.stop()
    threaded._thread.join(TIMEOUT)
    assert not threaded._thread.is_alive()


def test_the_gradient_reach_is_recorded_as_training_goes_unwatched():
    """The race's reach chart once sampled only when drawn: a page away left gaps."""
    from dashboard.evaluate import gradient_reach

    job = make_job(inline=True)
    for _ in range(3):
        job.step_once(5)  # no snapshot in between: nobody is watching
    snap = job.snapshot()
    np.testing.assert_array_equal(snap.reach["step"], [5, 10, 15])
    assert np.all(np.isfinite(snap.reach["reach"])) and np.all(snap.reach["reach"] > 0)
    assert snap.reach["reach"][-1] == gradient_reach(snap.dh_norms)


def test_a_reaped_job_says_it_stopped_not_that_it_trains():
    job = make_job(inline=True)
    job.play()
    job.stop()  # as the reaper does; stop() also sets the play flag to wake the thread
    assert job.snapshot().status == "stopped" and not job.playing


def test_the_step_button_shows_the_validation_loss_of_the_model_it_leaves():
    job = make_job(inline=True)
    n = job.trainer.val_every - 1  # ends between two scheduled validation points
    job.step_once(n)
    snap = job.snapshot()
    assert snap.step == n and snap.val_history["step"][-1] == n
    assert snap.last_val_loss == job.trainer.evaluate(job.data.X_val, job.data.y_val)


def test_a_budget_that_ends_between_validation_points_ends_with_one():
    """The finished run's verdict is its last validation loss: of the model it finished with."""
    job = make_job(inline=True, epochs=1, batch_size=64)  # 11 steps, validation every 5
    assert job.max_steps % job.trainer.val_every
    job.play()
    while job.playing:
        job.tick()
    snap = job.snapshot()
    assert snap.status == "finished" and snap.val_history["step"][-1] == job.max_steps
    assert snap.last_val_loss == job.trainer.evaluate(job.data.X_val, job.data.y_val)


def test_pausing_validates_the_model_it_stops_at():
    """The loss shown on pausing was of a model up to half an epoch older than an export's."""
    job = make_job(inline=True)
    job.play()
    job.tick()  # one chunk of 20 steps; validation is every 11
    assert job.trainer.step_count % job.trainer.val_every
    assert job.snapshot().val_history["step"][-1] < job.trainer.step_count
    job.pause()
    snap = job.snapshot()
    assert snap.val_history["step"][-1] == snap.step == job.trainer.step_count
    assert snap.last_val_loss == job.trainer.evaluate(job.data.X_val, job.data.y_val)


def test_loading_weights_spends_no_validation_pass_on_the_weights_it_replaces():
    job = make_job(inline=True)
    job.play()
    job.tick()  # 20 steps; the last validation point is at step 11

    def halve(model):
        model.parameter_vector()[:] *= 0.5

    job.replace_weights(halve)
    assert list(job.trainer.val_history.as_dict()["step"]) == [0, 11]  # no old model's point
    assert job.snapshot().weights_loaded_at == 20
