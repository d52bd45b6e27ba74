"""Clock control: freeze, advance (due jobs step at once), resume, reset."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mock_symbl.admin import jobs as control
from mock_symbl.admin.reset import apply_boot_clock
from mock_symbl.admin.schemas import MAX_EPOCH_SECONDS, AdvanceRequest, ClockState, FreezeRequest
from mock_symbl.admin.security import ADMIN_PREFIX, ADMIN_TAG, AdminDep
from mock_symbl.clock import iso
from mock_symbl.deps import ServicesDep
from mock_symbl.errors import BadRequest
from mock_symbl.jobs.service import advance_due
from mock_symbl.services import Services
from mock_symbl.wire import AnswerRoute

# Prefix, tag and admin-token check given here, not by an enclosing router: a dependency added at
# include time makes FastAPI rebuild every route (tens of ms of start-up).
router = APIRouter(route_class=AnswerRoute, prefix=ADMIN_PREFIX, tags=[ADMIN_TAG], dependencies=[AdminDep])


def clock_dict(services: Services) -> dict[str, Any]:
    return {"now": iso(services.clock.now()), "epoch": services.clock.time(), "frozen": services.clock.frozen}


@router.get("/clock", response_model=ClockState)
def get_clock(services: ServicesDep) -> dict[str, Any]:
    """The mock's current time and whether it is frozen."""
    return clock_dict(services)


@router.post("/clock/freeze", response_model=ClockState)
def freeze(services: ServicesDep, body: FreezeRequest | None = None) -> dict[str, Any]:
    """Stop the clock (now, or at a given instant): timestamps and token expiry stand still."""
    services.clock.freeze(body.at if body is not None else None)
    return clock_dict(services)


def _advance(services: Services, seconds: float) -> int:
    """Move the clock, stopping at each job due time on the way, so every step in the window happens."""
    clock = services.clock
    target = clock.time() + seconds
    moved = 0
    for _ in range(10_000):
        due = control.next_due(services)
        if due is None or due > target:
            break
        if due > clock.time():
            clock.advance(due - clock.time())
        stepped = advance_due(services)
        moved += stepped
        if not stepped and control.next_due(services) == due:
            break  # the due job waits on an earlier job of its conversation (not in time progression)
    if target > clock.time():
        clock.advance(target - clock.time())
    moved += advance_due(services)
    return moved


@router.post("/clock/advance", response_model=ClockState)
def advance(body: AdvanceRequest, services: ServicesDep) -> dict[str, Any]:
    """Move the clock forward; jobs in time progression that become due step before this returns."""
    if (
        services.clock.time() + body.seconds > MAX_EPOCH_SECONDS
    ):  # depends on the clock: not the model's check
        raise BadRequest('"seconds" must keep the clock between 1970 and 9999')
    moved = _advance(services, body.seconds)
    return {**clock_dict(services), "jobSteps": moved}


@router.post("/clock/resume", response_model=ClockState)
def resume(services: ServicesDep) -> dict[str, Any]:
    """Let the clock run again from where it stood."""
    services.clock.resume()
    return clock_dict(services)


@router.post("/clock/reset", response_model=ClockState)
def reset_clock(services: ServicesDep) -> dict[str, Any]:
    """Back to the wall clock (or the configured freeze_clock_at)."""
    apply_boot_clock(services)
    return clock_dict(services)
