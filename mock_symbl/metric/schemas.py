"""Wire format of the Metric API (rest.md §7; symbl_rest MetricApi models)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from mock_symbl.clock import parse_iso
from mock_symbl.errors import rule_violation
from mock_symbl.manage.schemas import Body
from mock_symbl.wire import Answer

MIN_YEAR, MAX_YEAR = 1900, 9000  # a timestamp outside these cannot be stored and answered as ISO 8601


class LabelIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    key: str
    value: Annotated[str, BeforeValidator(lambda v: v if isinstance(v, str) else str(v))] = ""


def _labels(value: Any) -> Any:
    """Labels as [{key, value}] (the REST model) or as a {key: value} object."""
    if isinstance(value, dict):
        return [{"key": k, "value": v} for k, v in value.items()]
    return value


def _timestamp(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        moment = parse_iso(value)
    except ValueError:
        raise rule_violation('"timestamp" must be a valid ISO 8601 date') from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise rule_violation(f'"timestamp" must be between the years {MIN_YEAR} and {MAX_YEAR}')
    return value


class MetricEntryIn(Body):
    """MetricEntryCreate (an empty schema in the REST client): every field optional."""

    value: float | None = None
    valueString: str | None = None
    labels: Annotated[list[LabelIn] | None, BeforeValidator(_labels)] = None
    identityId: str | None = Field(None, description="Default: the account's identity.")
    timestamp: Annotated[str | None, AfterValidator(_timestamp)] = Field(None, description="Default: now.")


class Metric(Answer):
    id: str
    type: str
    unit: str
    name: str
    description: str
    provider: str
    providerType: str
    createdOn: str


class MetricError(Answer):
    code: str
    message: str
    url: str | None = None


class MetricResponse(Answer):
    metric: Metric
    errors: list[MetricError]


class Label(Answer):
    key: str
    value: str


class MetricEntry(Answer):
    id: str
    metricId: str
    value: float | None
    valueString: str | None
    labels: list[Label]
    identityId: str
    timestamp: str


class MetricEntryResponse(Answer):
    metricEntry: MetricEntry
    errors: list[MetricError]
