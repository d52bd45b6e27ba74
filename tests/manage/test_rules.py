"""Documented Management API rules (pure)."""

from __future__ import annotations

import pytest

from mock_symbl.manage import managed_criteria, rules
from mock_symbl.manage.rules import RuleError


class TestTrackerRules:
    def test_name(self) -> None:
        assert rules.check_tracker_name("  Promotion Mention ") == "Promotion Mention"
        for bad in ("", "   ", None, 5):
            with pytest.raises(RuleError, match='"name"'):
                rules.check_tracker_name(bad)

    def test_vocabulary_ok(self) -> None:
        terms = rules.check_vocabulary(
            ["We have a sale", "Mr. Smith's offer", "follow-up", "10 20 percent", "¿qué tal"[1:]]
        )
        assert terms[1] == "Mr. Smith's offer"

    def test_vocabulary_collapses_whitespace(self) -> None:
        assert rules.check_vocabulary(["  a   b "]) == ["a b"]

    @pytest.mark.parametrize("char", ["?", ",", "!", ":", ";", "@", "#"])
    def test_forbidden_punctuation(self, char: str) -> None:
        with pytest.raises(RuleError, match="only letters, digits"):
            rules.check_vocabulary([f"hello{char} world"])

    def test_duplicates_case_insensitive(self) -> None:
        with pytest.raises(RuleError, match="duplicate"):
            rules.check_vocabulary(["Hello there", "hello  THERE"])

    def test_counts(self) -> None:
        with pytest.raises(RuleError, match="at least 1"):
            rules.check_vocabulary([])
        assert rules.check_vocabulary([], "excludeVocabulary", allow_empty=True) == []
        assert len(rules.check_vocabulary([f"term {i}" for i in range(50)])) == 50
        with pytest.raises(RuleError, match="less than or equal to 50"):
            rules.check_vocabulary([f"term {i}" for i in range(51)])

    @pytest.mark.parametrize("bad", ["text", None, {"a": 1}, [1], [""], ["   "]])
    def test_types(self, bad: object) -> None:
        with pytest.raises(RuleError):
            rules.check_vocabulary(bad)

    def test_languages(self) -> None:
        assert rules.check_languages(None) == ["en-US"]
        assert rules.check_languages([]) == ["en-US"]
        assert rules.check_languages(["es-ES", "en-US"]) == ["es-ES", "en-US"]
        with pytest.raises(RuleError, match="language code"):
            rules.check_languages(["english"])
        with pytest.raises(RuleError, match="array"):
            rules.check_languages("en-US")


class TestGroupRules:
    def test_doc_names(self) -> None:
        assert rules.check_group_name("Calls made by John") == "Calls made by John"
        assert rules.check_group_name('agent_1-calls "vip”') == 'agent_1-calls "vip”'

    @pytest.mark.parametrize("bad", ["a/b", "x!", "semi;colon", "", None])
    def test_bad_names(self, bad: object) -> None:
        with pytest.raises(RuleError, match='"name"'):
            rules.check_group_name(bad)

    def test_name_length(self) -> None:
        assert rules.check_group_name("a" * 128)
        with pytest.raises(RuleError, match="128"):
            rules.check_group_name("a" * 129)

    def test_description(self) -> None:
        assert rules.check_group_description(None) is None
        assert rules.check_group_description("x" * 512) == "x" * 512
        with pytest.raises(RuleError, match="512"):
            rules.check_group_description("x" * 513)
        with pytest.raises(RuleError, match="string"):
            rules.check_group_description(7)


class TestMetadataRules:
    def test_ok(self) -> None:
        assert rules.check_metadata({"agentId": "johndoe"}) == {"agentId": "johndoe"}
        assert rules.check_metadata([("a", "1"), ("b", "2")]) == {"a": "1", "b": "2"}

    def test_duplicates_from_pairs(self) -> None:
        with pytest.raises(RuleError, match="duplicate key"):
            rules.check_metadata([("a", "1"), ("a", "2")])

    @pytest.mark.parametrize("value", [1, None, ["x"], {"y": "z"}, True])
    def test_values_must_be_strings(self, value: object) -> None:
        with pytest.raises(RuleError, match="must be a string"):
            rules.check_metadata({"k": value})

    def test_value_length(self) -> None:
        assert rules.check_metadata({"k": "v" * 128})
        with pytest.raises(RuleError, match="128"):
            rules.check_metadata({"k": "v" * 129})

    def test_empty_key(self) -> None:
        with pytest.raises(RuleError, match="keys"):
            rules.check_metadata({"": "v"})


class TestEntityRules:
    def test_values(self) -> None:
        assert rules.check_entity_values(["Acme", " Globex "]) == ["Acme", "Globex"]
        with pytest.raises(RuleError, match="at least 1"):
            rules.check_entity_values([])
        with pytest.raises(RuleError, match="duplicate"):
            rules.check_entity_values(["a", "a"])


class TestManagedCriteria:
    def test_ids(self) -> None:
        assert [c["id"] for c in managed_criteria.MANAGED_CRITERIA] == [
            "Symbl.Communication_And_Engagement",
            "Symbl.Question_Handling",
            "Symbl.Forward_Motion",
            "Symbl.Sales_Process",
        ]

    def test_shape_and_copy(self) -> None:
        for criteria in managed_criteria.MANAGED_CRITERIA:
            assert criteria["checklist"]
            assert all(item["priority"] in ("high", "medium", "low") for item in criteria["checklist"])
        copy = managed_criteria.managed("Symbl.Forward_Motion")
        assert copy is not None
        copy["checklist"].clear()
        assert managed_criteria.MANAGED_BY_ID["Symbl.Forward_Motion"]["checklist"]
        assert managed_criteria.managed("Symbl.Nope") is None
        assert managed_criteria.is_managed("Symbl.Sales_Process")
