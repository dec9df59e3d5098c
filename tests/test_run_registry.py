"""A tab's work is given back to it reloaded, and only once the tab that owned it has gone."""

from dashboard import run_registry
from dashboard.config import RunConfig, build_trainer, load_data
from dashboard.job import TrainingJob
from dashboard.run_registry import Owner


def owner(name):
    """A session whose token and Streamlit id are both ``name``."""
    return Owner(name, name)


def register(job, session, earlier=None):
    """A new slot owned by ``session`` with ``job`` as its run; returns the slot id."""
    slot_id = run_registry.open_slot(session, [] if earlier is None else earlier)
    run_registry.put_job(slot_id, job)
    return slot_id


def job_of(slot):
    return None if slot is None else slot.job


def make_job():
    config = RunConfig(epochs=1)
    data = load_data(config)
    return TrainingJob(config, data, build_trainer(config, data), inline=True)


def test_a_run_goes_to_a_new_session_only_once_its_owner_has_gone(monkeypatch):
    open_sessions = {"teacher"}
    monkeypatch.setattr(run_registry, "_session_is_open", lambda o: o.token in open_sessions)
    job = make_job()
    slot_id = register(job, owner("teacher"))
    assert run_registry.claim(slot_id, owner("student"), wait=0) is None  # the owner's tab is open
    assert job_of(run_registry.claim(slot_id, owner("teacher"), wait=0)) is job
    open_sessions.clear()  # the teacher's tab reloaded
    assert job_of(run_registry.claim(slot_id, owner("teacher-reloaded"), wait=0)) is job
    open_sessions.add("teacher-reloaded")
    assert run_registry.claim(slot_id, owner("student"), wait=0) is None  # the new tab owns it


def test_only_the_owner_s_browser_takes_a_closed_tab_s_run(monkeypatch):
    """An address copied from the teacher's (now closed) tab must not give a student the run."""
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    job = make_job()
    slot_id = register(job, Owner("teacher", "teacher", browser="teacher's laptop"))
    for student in ("student's laptop", None):  # another browser, or one that cannot be told
        assert run_registry.claim(slot_id, Owner("s", "s", browser=student), wait=0) is None
    reloaded = Owner("teacher-reloaded", "teacher-reloaded", browser="teacher's laptop")
    assert job_of(run_registry.claim(slot_id, reloaded, wait=0)) is job


def test_a_stopped_run_is_not_given_back_but_the_earlier_runs_are(monkeypatch):
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    job, earlier = make_job(), ["run #1"]
    slot_id = register(job, owner("a"), earlier)
    job.stop()  # reaped, or reset
    slot = run_registry.claim(slot_id, owner("b"))
    assert slot.job is None
    assert slot.earlier_runs == ["run #1"]
    earlier.append("run #2")  # archived later by the tab the slot left
    assert slot.earlier_runs == ["run #1"]  # stays there


def test_a_reset_slot_keeps_its_earlier_runs(monkeypatch):
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    earlier = []
    slot_id = register(make_job(), owner("a"), earlier)
    run_registry.put_job(slot_id, None)  # Reset
    earlier.append("run #1")  # the session's own list: archived after the slot was opened
    slot = run_registry.claim(slot_id, owner("reloaded"))
    assert slot.job is None and slot.earlier_runs == ["run #1"]


def test_unknown_ids_give_nothing():
    assert run_registry.claim("no-such-run", owner("a")) is None


def test_an_owner_that_disconnects_during_the_grace_gives_the_run_up(monkeypatch):
    checks = iter([True, True, False])  # still connected twice, then gone
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: next(checks))
    job = make_job()
    slot_id = register(job, owner("old"))
    assert job_of(run_registry.claim(slot_id, owner("new"), wait=5.0)) is job


def test_a_run_stopped_while_its_claim_waits_is_not_handed_over(monkeypatch):
    job = make_job()

    def owner_leaves_as_the_run_is_reaped(session):
        job.stop()  # the reaper ends it while the new tab waits
        return False

    monkeypatch.setattr(run_registry, "_session_is_open", owner_leaves_as_the_run_is_reaped)
    slot_id = register(job, owner("old"))
    assert run_registry.claim(slot_id, owner("new"), wait=1.0).job is None


def test_the_registry_says_who_owns_a_slot(monkeypatch):
    monkeypatch.setattr(run_registry, "_session_is_open", lambda session: False)
    slot_id = register(make_job(), owner("a"))
    assert run_registry.owns(slot_id, owner("a")) and not run_registry.owns(slot_id, owner("b"))
    run_registry.claim(slot_id, owner("b"), wait=0)
    assert run_registry.owns(slot_id, owner("b")) and not run_registry.owns(slot_id, owner("a"))


def test_reaping_lets_go_of_stopped_runs_and_of_slots_abandoned_for_long(monkeypatch):
    connected = {"a", "b"}
    monkeypatch.setattr(run_registry, "_session_is_open", lambda o: o.token in connected)
    job = make_job()
    slot_a, slot_b = register(job, owner("a")), register(make_job(), owner("b"))
    job.stop()
    run_registry.forget_abandoned(now=0.0)
    assert run_registry._slots[slot_a].job is None  # the stopped job is let go of
    connected.discard("a")  # tab a closed; tab b stays open
    run_registry.forget_abandoned(now=1.0)
    run_registry.forget_abandoned(now=1.0 + run_registry.ABANDONED_AFTER / 2)
    assert slot_a in run_registry._slots  # a reload has time to take it back
    run_registry.forget_abandoned(now=2.0 + run_registry.ABANDONED_AFTER)
    assert slot_a not in run_registry._slots
    assert slot_b in run_registry._slots


class FakeRuntime:
    """Streamlit's runtime as the registry asks it: which sessions are connected."""

    connected = frozenset({"here"})

    @classmethod
    def exists(cls):
        return True

    @classmethod
    def instance(cls):
        return cls()

    def is_active_session(self, session_id):
        return session_id in self.connected


def test_only_a_connected_session_counts_as_open(monkeypatch):
    monkeypatch.setattr(run_registry, "Runtime", FakeRuntime)
    assert run_registry._session_is_open(Owner("token", "here"))
    assert not run_registry._session_is_open(Owner("token", "gone"))


def test_a_browser_is_known_by_its_cookie_s_token_however_it_is_masked():
    from dashboard.session_run import browser_of

    def cookie(token: bytes, mask: bytes) -> str:
        masked = bytes(b ^ mask[i % len(mask)] for i, b in enumerate(token))
        return f"2|{mask.hex()}|{masked.hex()}|1700000000"

    teacher, student = bytes(range(32)), bytes(range(1, 33))
    first, again = cookie(teacher, b"\x01\x02\x03\x04"), cookie(teacher, b"\xaa\xbb\xcc\xdd")
    assert first != again and browser_of(first) == browser_of(again) is not None  # a reload
    assert browser_of(cookie(student, b"\x01\x02\x03\x04")) != browser_of(first)
    for broken in ("", "garbage", "2|zz|00|1", "1|00|00|1"):
        assert browser_of(broken) is None
