"""The RSQL parser and the subset validator (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mock_symbl.rsql import filters as rsql
from mock_symbl.rsql.ast import And, Comparison, Or, RsqlError
from mock_symbl.rsql.filters import Condition, Selector, compile_filter, parse


class TestParse:
    def test_single_comparison(self) -> None:
        assert parse("conversation.name==Weekly") == Comparison("conversation.name", "==", ("Weekly",))

    @pytest.mark.parametrize("text", ["a==1;b==2", "a==1 and b==2", "a==1 AND b==2", "a==1 ; b==2"])
    def test_and_spellings(self, text: str) -> None:
        assert parse(text) == And((Comparison("a", "==", ("1",)), Comparison("b", "==", ("2",))))

    @pytest.mark.parametrize("text", ["a==1,b==2", "a==1 or b==2", "a==1 OR b==2"])
    def test_or_spellings_parse(self, text: str) -> None:
        assert isinstance(parse(text), Or)

    def test_and_binds_tighter_than_or(self) -> None:
        node = parse("a==1;b==2,c==3")
        assert isinstance(node, Or)
        assert isinstance(node.children[0], And)

    def test_groups(self) -> None:
        node = parse("a==1;(b==2,c==3)")
        assert isinstance(node, And)
        assert isinstance(node.children[1], Or)

    def test_list_arguments_and_quotes(self) -> None:
        node = parse("""name=in=(one,"two, three",'fo\\'ur')""")
        assert node == Comparison("name", "=in=", ("one", "two, three", "fo'ur"), True)

    def test_fiql_operators_normalised(self) -> None:
        assert parse("a=ge=5") == Comparison("a", ">=", ("5",))
        assert parse("a=lt=5") == Comparison("a", "<", ("5",))

    def test_unknown_operator_still_parses(self) -> None:
        assert parse("a=like=x").op == "=like="  # type: ignore[union-attr]

    def test_spaces_around_operators(self) -> None:
        assert parse("  name == x  ") == Comparison("name", "==", ("x",))

    def test_keywords_are_values_where_a_value_is_expected(self) -> None:
        assert parse("name==or") == Comparison("name", "==", ("or",))
        assert parse("name==android") == Comparison("name", "==", ("android",))

    @pytest.mark.parametrize(
        ("text", "fragment"),
        [
            ("", "empty"),
            ("   ", "empty"),
            ("name==", "ends too early"),
            ("name==a;", "ends too early"),
            ("==a", "position 0"),
            ("name==a)", "position 7"),
            ("(name==a", "ends too early"),
            ('name=="unterminated', "position"),
            ("name=a", "position"),
            ("name", "ends too early"),
        ],
    )
    def test_syntax_errors(self, text: str, fragment: str) -> None:
        with pytest.raises(RsqlError, match="Invalid filter") as info:
            parse(text)
        assert fragment in str(info.value)

    def test_too_long(self) -> None:
        with pytest.raises(RsqlError, match="longer than"):
            parse("name==" + "x" * rsql.MAX_FILTER_LENGTH)


class TestValidate:
    def test_doc_example(self) -> None:
        result = compile_filter(
            "conversation.metadata.agentId==johndoe and conversation.metadata.customerId==88338833"
        )
        assert result.conditions == (
            Condition(Selector("metadata", "agentId"), "==", ("johndoe",)),
            Condition(Selector("metadata", "customerId"), "==", ("88338833",)),
        )

    @pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">=", "=lt=", "=le=", "=gt=", "=ge="])
    def test_supported_scalar_operators(self, op: str) -> None:
        assert len(compile_filter(f"conversation.name{op}x").conditions) == 1

    @pytest.mark.parametrize("op", ["=in=", "=out="])
    def test_list_operators(self, op: str) -> None:
        (condition,) = compile_filter(f"conversation.type{op}(meeting,call)").conditions
        assert condition.op == op
        assert condition.values == ("meeting", "call")

    def test_list_operator_accepts_single_value(self) -> None:
        assert compile_filter("type=in=meeting").conditions[0].values == ("meeting",)

    def test_scalar_operator_rejects_list(self) -> None:
        with pytest.raises(RsqlError, match="single value"):
            compile_filter("name==(a,b)")

    @pytest.mark.parametrize("text", ["name==a,name==b", "name==a or type==b", "name==a;(type==b,type==c)"])
    def test_or_rejected(self, text: str) -> None:
        with pytest.raises(RsqlError, match="OR operator"):
            compile_filter(text)

    def test_at_most_two_parameters(self) -> None:
        # Any number of conditions is fine as long as they use two parameters.
        ok = compile_filter("name==a;name!=b;type==c;type!=d")
        assert len(ok.conditions) == 4
        assert ok.parameters() == (Selector("name"), Selector("type"))
        with pytest.raises(RsqlError, match="at most 2 parameters.*got 3"):
            compile_filter("name==a;type==b;metadata.agentId==c")

    def test_metadata_keys_are_distinct_parameters(self) -> None:
        with pytest.raises(RsqlError, match="got 3"):
            compile_filter("metadata.a==1;metadata.b==2;metadata.c==3")

    def test_unknown_operator(self) -> None:
        with pytest.raises(RsqlError, match="operator '=like=' is not supported"):
            compile_filter("name=like=x")

    @pytest.mark.parametrize(
        "selector", ["members.email", "conversation.unknown", "foo", "conversation.metadata", "a..b"]
    )
    def test_unknown_parameter(self, selector: str) -> None:
        with pytest.raises(RsqlError, match="parameter|needs a key"):
            compile_filter(f"{selector}==x")

    @pytest.mark.parametrize(
        ("selector", "field"),
        [
            ("conversation.startTime", "startTime"),
            ("conversation.startDate", "startTime"),
            ("startTime", "startTime"),
            ("conversation.endTime", "endTime"),
            ("conversation.ENDDATE", "endTime"),
            ("conversation.id", "id"),
            ("name", "name"),
        ],
    )
    def test_selector_spellings(self, selector: str, field: str) -> None:
        assert rsql.parse_selector(selector).field == field

    def test_metadata_key_keeps_case_and_dots(self) -> None:
        assert rsql.parse_selector("conversation.metadata.Agent.Id") == Selector("metadata", "Agent.Id")

    def test_dates_typed(self) -> None:
        (condition,) = compile_filter("conversation.startTime>=2021-02-27T15:53:05.594Z").conditions
        assert condition.values == (datetime(2021, 2, 27, 15, 53, 5, 594000, tzinfo=UTC),)

    def test_bad_date(self) -> None:
        with pytest.raises(RsqlError, match="ISO-8601"):
            compile_filter("conversation.endTime<yesterday")

    def test_label(self) -> None:
        assert Selector("metadata", "agentId").label() == "conversation.metadata.agentId"
        assert Selector("startTime").label() == "conversation.startTime"

    def test_rsql_error_is_value_error(self) -> None:
        assert issubclass(RsqlError, ValueError)


def test_far_dates_rejected() -> None:
    with pytest.raises(RsqlError, match="between the years"):
        compile_filter("conversation.startTime>0001-01-01T00:00:00+05:00")
    with pytest.raises(RsqlError, match="between the years"):
        compile_filter("conversation.endTime<9999-12-31T23:59:59Z")
    assert compile_filter("conversation.endTime<2999-12-31T23:59:59Z").conditions
