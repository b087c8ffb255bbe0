import gc
import threading
from collections.abc import Iterator

import pytest

from triage_ml.collector import CollectorPaused


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_paused_inside_and_running_again_after() -> None:
    with CollectorPaused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_runs_again_after_a_call_that_failed() -> None:
    with pytest.raises(RuntimeError):
        with CollectorPaused():
            raise RuntimeError("the call failed")
    assert gc.isenabled()


def test_overlapping_calls_in_two_threads_resume_it_only_when_both_have_left() -> None:
    first_in, second_in, first_out = (threading.Event() for _ in range(3))
    seen: dict[str, bool] = {}

    def first() -> None:
        with CollectorPaused():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second() -> None:
        first_in.wait(10)
        with CollectorPaused():
            second_in.set()
            first_out.wait(10)
            seen["after the first left"] = gc.isenabled()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)

    assert seen["after the first left"] is False
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    with CollectorPaused():
        pass
    assert not gc.isenabled()
