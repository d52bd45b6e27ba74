"""AudioPacer: a burst of audio at once, then at most `speed` times real time (pure, no clock)."""

from __future__ import annotations

import pytest

from mock_symbl.streaming.pacing import AudioPacer


def test_a_burst_passes_then_audio_is_read_at_speed() -> None:
    pacer = AudioPacer(speed=20, burst=60)
    assert [pacer.delay(1.0, 0.0) for _ in range(60)] == [0.0] * 60  # 60 s of audio at once
    assert pacer.delay(1.0, 0.0) == pytest.approx(1 / 20)  # the 61st second waits 50 ms
    assert pacer.delay(20.0, 0.05) == pytest.approx(1.0)  # 20 s more: one second at 20x
    # After a pause the credit refills, up to the burst and no further.
    assert pacer.delay(1.0, 1000.0) == 0.0
    assert pacer.delay(59.0, 1000.0) == 0.0
    assert pacer.delay(1.0, 1000.0) > 0


def test_real_time_audio_is_never_delayed() -> None:
    pacer = AudioPacer(speed=20, burst=60)
    assert all(pacer.delay(0.1, i * 0.1) == 0.0 for i in range(10_000))


def test_speed_zero_means_no_limit() -> None:
    pacer = AudioPacer(speed=0, burst=0)
    assert pacer.delay(1e9, 0.0) == 0.0
