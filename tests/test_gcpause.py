"""The cyclic collector is paused during checks and never left off (vnproof.gcpause)."""
from __future__ import annotations

import gc
import threading
import weakref

import pytest

import vnproof
from vnproof.gcpause import FULL_EVERY, CollectorPause


class _Node:
    def __init__(self) -> None:
        self.me = self   # a reference cycle: only the cyclic collector frees it


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_check_leaves_the_collector_as_it_found_it(collector_on):
    checker = vnproof.default_checker()
    seen = []
    orig = checker._check_part

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return orig(*args, **kwargs)

    checker._check_part = spy
    try:
        checker.check("Quân chúng nhân dân đi hoc.")
        assert seen == [False] and gc.isenabled()
        gc.disable()
        checker.check("Quân chúng nhân dân.")
        assert not gc.isenabled()   # a caller's own choice is kept
    finally:
        del checker._check_part
        gc.enable()


def test_an_error_inside_still_resumes_the_collector(collector_on):
    with pytest.raises(TypeError):
        vnproof.default_checker().check(b"bytes")
    pause = CollectorPause()
    with pytest.raises(ZeroDivisionError):
        with pause:
            1 / 0
    assert gc.isenabled()


def test_overlapping_holders_resume_only_when_the_last_leaves(collector_on):
    pause = CollectorPause()
    inside, leave = threading.Event(), threading.Event()

    def hold():
        with pause:
            inside.set()
            leave.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    inside.wait(10)
    with pause:
        pass
    assert not gc.isenabled()   # the other thread is still inside
    leave.set()
    t.join()
    assert gc.isenabled()


def test_a_never_idle_process_still_frees_cycles(collector_on):
    pause = CollectorPause()
    pause.__enter__()           # one holder that never leaves: a busy server
    try:
        node = _Node()
        ref = weakref.ref(node)
        del node
        for _ in range(FULL_EVERY - 1):
            with pause:
                pass
        assert ref() is not None   # not collected yet: the pause holds
        with pause:
            pass
        assert ref() is None       # the FULL_EVERY-th check ended collected it
    finally:
        pause.__exit__(None, None, None)
    assert gc.isenabled()
