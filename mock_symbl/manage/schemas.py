"""Wire format of the Management API: request bodies (checked by the documented rules) and answers.

Request models are strict (a number is not a string, `"5"` is not a number) and refuse unknown keys, as
Symbl's Joi validation did; each rule's 400 message comes from `rules.py`. Answer models carry the types
the Go SDK's management structs declare (every field a string or a list of strings).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)

from mock_symbl.errors import rule_violation
from mock_symbl.manage import rules
from mock_symbl.manage.rules import RuleError
from mock_symbl.rsql import filters as rsql
from mock_symbl.wire import Answer


class Body(BaseModel):
    """A request body: strict types, unknown keys refused ('"colour" is not allowed')."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _rule(check: Callable[..., Any], *args: Any) -> AfterValidator:
    """A documented rule as a pydantic validator: its RuleError becomes the 400's message."""

    def run(value: Any) -> Any:
        if value is None:
            return None
        try:
            return check(value, *args)
        except RuleError as error:
            raise rule_violation(str(error)) from None

    return AfterValidator(run)


def _text(value: str, info: ValidationInfo) -> str:
    if not value.strip():
        raise rule_violation(f'"{info.field_name}" is not allowed to be empty')
    return value.strip()


def _criteria(value: str) -> str:
    try:
        rsql.compile_filter(value)
    except rsql.RsqlError as error:
        raise rule_violation(f'"criteria" is invalid: {error}') from None
    return value.strip()


def _string_list(field: str) -> AfterValidator:
    """A list of strings, trimmed; null (Go's nil slice) is an empty list."""

    def run(value: list[str] | None) -> list[str]:
        try:
            return rules.check_string_list(value or [], field)
        except RuleError as error:
            raise rule_violation(str(error)) from None

    return AfterValidator(run)


Text = Annotated[str, AfterValidator(_text)]  # non-blank, trimmed
OptionalText = Annotated[str | None, _rule(rules.check_optional_text, "description")]


def _shape(body: Any) -> str:
    """Which of a route's two body shapes this is (a JSON object or an array)."""
    return "array" if isinstance(body, list) else "object"


def one_or_many(one: Any, many: Any) -> Any:
    """A body that is either a JSON object or an array; the error names the field, not the shape."""
    return Annotated[
        Annotated[one, Tag("object")] | Annotated[many, Tag("array")],
        Discriminator(_shape),
    ]


# ---------------------------------------------------------------- RFC 6902 operations


PATCH_OPS = ("add", "replace", "remove")


def _op(value: Any) -> Any:
    if not isinstance(value, str) or value not in PATCH_OPS:
        raise rule_violation(f'"op" must be one of [{", ".join(PATCH_OPS)}], got {value!r}')
    return value


class PatchOperation(BaseModel):
    """One RFC 6902 operation; members other than op, path and value are ignored, as the RFC says."""

    model_config = ConfigDict(strict=True, extra="ignore")

    op: Annotated[Literal["add", "replace", "remove"], BeforeValidator(_op)]
    path: str = Field(..., description='A JSON pointer such as "/vocabulary".')
    value: Any = None

    @model_validator(mode="after")
    def _complete(self) -> PatchOperation:
        if not self.path.startswith("/"):
            raise rule_violation('"path" must be a JSON pointer such as "/vocabulary"')
        if self.op != "remove" and "value" not in self.model_fields_set:
            raise rule_violation(f'"value" is required for "{self.op}"')
        return self

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.op != "remove":
            out["value"] = self.value
        return out


def _some(value: list[PatchOperation]) -> list[PatchOperation]:
    if not value:
        raise rule_violation("The body must be a non-empty array of RFC 6902 operations.")
    return value


Operations = Annotated[list[PatchOperation], AfterValidator(_some)]
OperationsBody = one_or_many(PatchOperation, Operations)


def operations(body: PatchOperation | list[PatchOperation]) -> list[PatchOperation]:
    return body if isinstance(body, list) else [body]


# ---------------------------------------------------------------- trackers


TrackerName = Annotated[str, _rule(rules.check_tracker_name)]
Vocabulary = Annotated[list[str], _rule(rules.check_vocabulary)]


def _exclude(value: list[str] | None) -> list[str]:
    try:
        return rules.check_vocabulary(value or [], "excludeVocabulary", allow_empty=True)
    except RuleError as error:
        raise rule_violation(str(error)) from None


def _languages(value: list[str] | None) -> list[str]:
    try:
        return rules.check_languages(value)
    except RuleError as error:
        raise rule_violation(str(error)) from None


class TrackerV1In(Body):
    """Gen-1 tracker (2022 docs): name and vocabulary."""

    id: str | None = Field(None, description="Ignored on create.")
    name: TrackerName
    vocabulary: Vocabulary


class TrackerChanges(Body):
    """Gen-2 tracker fields, each optional (PUT keeps what it does not name)."""

    id: str | None = Field(None, description="Must match the path's trackerId when given.")
    name: TrackerName | None = None
    description: OptionalText = None
    categories: Annotated[list[str] | None, _string_list("categories")] = None
    languages: Annotated[list[str] | None, AfterValidator(_languages)] = Field(
        None, description='Language codes; default ["en-US"].'
    )
    vocabulary: Vocabulary | None = None
    excludeVocabulary: Annotated[list[str] | None, AfterValidator(_exclude)] = None

    def given(self) -> dict[str, Any]:
        """The fields the client sent (null lists normalised), as a tracker document holds them."""
        return self.model_dump(exclude_unset=True, exclude={"id"})


# A new tracker's fields when the body leaves them out.
TRACKER_DEFAULTS: dict[str, Any] = {
    "description": None,
    "categories": [],
    "languages": list(rules.DEFAULT_TRACKER_LANGUAGES),
    "excludeVocabulary": [],
}


class TrackerIn(TrackerChanges):
    """Gen-2 tracker (Go SDK TrackerRequest): name and vocabulary required."""

    name: TrackerName
    vocabulary: Vocabulary


TrackersBody = one_or_many(TrackerIn, list[TrackerIn])


class TrackerV1(Answer):
    id: str
    name: str
    vocabulary: list[str]


class Tracker(Answer):
    """Go SDK Tracker."""

    id: str
    name: str
    description: str | None = None
    categories: list[str]
    languages: list[str]
    vocabulary: list[str]
    excludeVocabulary: list[str] | None = None
    createdOn: str
    updatedOn: str


class TrackerV1Response(Answer):
    tracker: TrackerV1


class TrackerResponse(Answer):
    tracker: Tracker


class TrackerV1List(Answer):
    trackers: list[TrackerV1]


class TrackerList(Answer):
    trackers: list[Tracker]


class Deleted(Answer):
    """Symbl's delete acknowledgement (delete-tracker / delete-group docs)."""

    id: str
    type: str
    deleted: bool


# ---------------------------------------------------------------- entities


class EntityIn(Body):
    """Go SDK EntityRequest."""

    id: str | None = Field(None, description="Ignored.")
    type: Text
    subType: Text
    category: Literal["Custom"] = "Custom"
    values: Annotated[list[str], _rule(rules.check_entity_values)]


EntitiesBody = one_or_many(EntityIn, list[EntityIn])


class Entity(Answer):
    """Go SDK Entity."""

    id: str
    type: str
    subType: str
    category: str
    values: list[str]


class EntityResponse(Answer):
    entity: Entity


class EntityList(Answer):
    entities: list[Entity]


class DeletedBySubType(Answer):
    subType: str
    type: str
    deleted: bool
    count: int


# ---------------------------------------------------------------- conversation groups


class GroupIn(Body):
    """Go SDK Group; criteria in the supported RSQL subset."""

    id: str | None = Field(None, description="Must match the path's groupId when given (PUT).")
    name: Annotated[str, _rule(rules.check_group_name)]
    description: Annotated[str | None, _rule(rules.check_group_description)] = None
    criteria: Annotated[str, AfterValidator(_criteria)]


GroupsBody = one_or_many(GroupIn, list[GroupIn])


class Group(Answer):
    """Go SDK Group."""

    id: str
    name: str
    description: str | None = None
    criteria: str


class GroupResponse(Answer):
    group: Group


class GroupList(Answer):
    groups: list[Group]


# ---------------------------------------------------------------- call score criteria and scorecards


class ChecklistItemIn(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    question: Text
    priority: Literal["high", "medium", "low"]


class CriteriaChanges(Body):
    id: str | None = Field(None, description="Ignored.")
    name: Text | None = None
    description: OptionalText = None
    tags: Annotated[list[str] | None, _string_list("tags")] = None
    checklist: Annotated[list[ChecklistItemIn], Field(min_length=1)] | None = None


class CriteriaIn(CriteriaChanges):
    name: Text
    checklist: Annotated[list[ChecklistItemIn], Field(min_length=1)]


class ScorecardChanges(Body):
    id: str | None = Field(None, description="Ignored.")
    name: Text | None = None
    description: OptionalText = None
    tags: Annotated[list[str] | None, _string_list("tags")] = None
    criteriaList: Annotated[list[Text], Field(min_length=1)] | None = Field(None, description="Criteria ids.")


class ScorecardIn(ScorecardChanges):
    name: Text
    criteriaList: Annotated[list[Text], Field(min_length=1)] = Field(..., description="Criteria ids.")


CriteriaPatchBody = one_or_many(CriteriaChanges, Operations)
ScorecardPatchBody = one_or_many(ScorecardChanges, Operations)


class ChecklistItem(Answer):
    question: str
    priority: str


class Criteria(Answer):
    id: str
    name: str
    description: str | None = None
    tags: list[str]
    checklist: list[ChecklistItem]


class Scorecard(Answer):
    id: str
    name: str
    description: str | None = None
    tags: list[str]
    criteriaList: list[str] = Field(..., description="Criteria ids.")


# ---------------------------------------------------------------- settings


class Open(BaseModel):
    """A settings object: the known keys are typed, others are kept as given."""

    model_config = ConfigDict(strict=True, extra="allow")


def _seconds(value: Any) -> Any:
    # Kept as given (20 stays 20): no client declares this field, and the docs write whole seconds.
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or value <= 0):
        raise rule_violation('"intelligence.bookmarks.duration" must be a positive number of seconds')
    return value


class BookmarkSettings(Open):
    duration: Annotated[
        Any, AfterValidator(_seconds), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})
    ] = Field(None, description="Default bookmark length in seconds.")


class IntelligenceSettings(Open):
    bookmarks: BookmarkSettings | None = None


class RedactionSettings(Open):
    default: bool | None = Field(None, description="Redact messages when the request does not say.")
    type: Literal["default", "obfuscation", "custom"] | None = None
    exclude: list[str] | None = Field(None, description="Entity types never redacted.")
    custom: dict[str, str] | None = Field(None, description="Entity type -> replacement text.")


class SettingsDocument(Answer):
    """The account's settings (rest.md §8.5)."""

    intelligence: IntelligenceSettings | None = None
    redaction: RedactionSettings | None = None


class SettingsResponse(Answer):
    settings: SettingsDocument


class SettingsPatched(SettingsDocument):
    """The settings document after the patch, with its id."""

    id: str
