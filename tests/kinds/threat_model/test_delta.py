"""The threat-model delta format: valid deltas, "nothing changes", and errors with file and line."""

from __future__ import annotations

import pytest

from secdocs.kinds.threat_model.delta import MAX_RISKS, parse_delta, split_front_matter

VALID = """---
title: Export API
owner: appsec
---
# Threat-model delta for 1.1.0

## What changes
A new export endpoint.

## Data touched
Customer records (PII).

## Trust boundaries
Internet to the API gateway.

## Risks
### EXP-1: Guessable export links
- Mitigation: signed URLs that expire after 15 minutes
- Status: open
- Owner: @alice

### EXP-2: Large exports exhaust memory
- **Mitigation:** streaming
- **Status**: Mitigated
"""


def risks_doc(count: int) -> str:
    head = VALID.split("## Risks")[0] + "## Risks\n"
    body = "".join(
        f"\n### R{n}: risk number {n}\n- Mitigation: m{n}\n" for n in range(1, count + 1)
    )
    return head + body


def errors(delta_text: str | bytes) -> list[tuple[int | None, str]]:
    data = delta_text.encode() if isinstance(delta_text, str) else delta_text
    delta = parse_delta(data, "d.md")
    return [(p.line, p.message) for p in delta.problems if p.severity == "error"]


def test_valid_delta_has_sections_and_risks() -> None:
    delta = parse_delta(VALID.encode(), "docs/d.md")
    assert delta.valid
    assert delta.problems == ()
    assert delta.title == "Export API"
    assert not delta.nothing_changes
    assert delta.section("changes") == "A new export endpoint."
    assert delta.section("data") == "Customer records (PII)."
    assert delta.section("boundaries") == "Internet to the API gateway."
    first, second = delta.risks
    assert (first.id, first.title, first.status, first.owner, first.line) == (
        "EXP-1",
        "Guessable export links",
        "open",
        "@alice",
        17,
    )
    assert first.mitigation == "signed URLs that expire after 15 minutes"
    assert (second.mitigation, second.status, second.owner) == ("streaming", "mitigated", None)


def test_title_falls_back_to_the_first_heading() -> None:
    text = VALID.replace("title: Export API\n", "")
    assert parse_delta(text.encode(), "d.md").title == "Threat-model delta for 1.1.0"


@pytest.mark.parametrize(
    "text",
    [
        "---\nchanges: none\n---\n# Delta\n",
        "---\nchanges: Nothing changes\n---\n",
        "## What changes\n\nNothing changes.\n",
        "## What changes\nnone\n",
    ],
)
def test_nothing_changes_is_valid_and_explicit(text: str) -> None:
    delta = parse_delta(text.encode(), "d.md")
    assert delta.valid, delta.problems
    assert delta.nothing_changes
    assert delta.risks == ()


def test_an_empty_file_is_not_a_delta() -> None:
    messages = errors("")
    assert len(messages) == 4
    assert all(line == 1 for line, _ in messages)
    assert "What changes" in messages[0][1]


def test_nothing_changes_with_risks_is_an_error() -> None:
    text = "---\nchanges: none\n---\n## Risks\n### R1: a\n- Mitigation: b\n"
    assert errors(text) == [(5, "the delta says nothing changes but lists risks")]


def test_changes_flag_only_accepts_none() -> None:
    text = VALID.replace("owner: appsec", "changes: lots")
    assert errors(text) == [
        (3, "front matter key “changes” only accepts “none” (say what changes in the text)")
    ]


@pytest.mark.parametrize("count", [0, 1, MAX_RISKS])
def test_up_to_five_risks_are_fine(count: int) -> None:
    text = risks_doc(count) + ("No new risks.\n" if count == 0 else "")
    delta = parse_delta(text.encode(), "d.md")
    assert delta.valid, delta.problems
    assert len(delta.risks) == count


def test_six_risks_name_the_sixth_risk_line() -> None:
    text = risks_doc(6)
    sixth = text.split("\n").index("### R6: risk number 6") + 1
    found = errors(text)
    assert len(found) == 1
    assert found[0][0] == sixth
    assert "at most 5 risks" in found[0][1]
    assert len(parse_delta(text.encode(), "d.md").risks) == 5


def test_risks_section_without_risks_must_say_so() -> None:
    text = risks_doc(0)
    ((line, message),) = errors(text)
    assert line == text.split("\n").index("## Risks") + 1
    assert "lists no risk" in message


@pytest.mark.parametrize(
    ("change", "expected_line", "fragment"),
    [
        ("- Mitigation: signed URLs that expire after 15 minutes\n", 17, "needs a “Mitigation:”"),
        ("- Status: open\n", 19, "is not one of open, mitigated, accepted, transferred"),
        ("### EXP-1: Guessable export links\n", 17, "a risk heading reads"),
    ],
)
def test_risk_errors_name_the_line(change: str, expected_line: int, fragment: str) -> None:
    replacement = {
        "- Mitigation: signed URLs that expire after 15 minutes\n": "",
        "- Status: open\n": "- Status: someday\n",
        "### EXP-1: Guessable export links\n": "### Guessable export links\n",
    }[change]
    found = errors(VALID.replace(change, replacement))
    assert len(found) == 1, found
    assert found[0][0] == expected_line
    assert fragment in found[0][1]


def test_duplicate_risk_ids_and_fields() -> None:
    text = VALID.replace("### EXP-2:", "### exp-1:").replace(
        "- Owner: @alice", "- Owner: @alice\n- Owner: @bob"
    )
    found = errors(text)
    assert [m for _, m in found] == [
        "risk EXP-1: field “owner” given twice",
        "risk id “exp-1” is used twice (first on line 17)",
    ]


@pytest.mark.parametrize(
    ("section", "line"), [("## Data touched\n", 10), ("## Trust boundaries\n", 13)]
)
def test_missing_and_empty_sections(section: str, line: int) -> None:
    missing = errors(VALID.replace(section, ""))
    assert any("missing section" in m and section.strip() in m for _, m in missing)
    following = VALID.split(section)[1].split("\n\n", 1)[1]
    empty = VALID.split(section)[0] + section + "\n" + following
    assert errors(empty) == [
        (line, f"section “{section.strip()}” is empty; say “None” explicitly if nothing applies")
    ]


def test_duplicate_section() -> None:
    text = VALID + "\n## Data touched\nmore\n"
    assert errors(text) == [(len(VALID.split("\n")) + 1, "section “Data touched” appears twice")]


def test_warnings_do_not_invalidate() -> None:
    text = (
        VALID.replace("owner: appsec", "owner: appsec\ncolour: blue").replace(
            "- Owner: @alice", "- Owner: @alice\n- Severity: high"
        )
        + "\n## Appendix\ntext\n"
    )
    delta = parse_delta(text.encode(), "d.md")
    assert delta.valid
    lines = text.split("\n")
    warnings = [(p.line, p.message.split(" (")[0]) for p in delta.problems]
    assert warnings == [
        (lines.index("colour: blue") + 1, "unknown front matter key “colour”"),
        (lines.index("## Appendix") + 1, "unknown section “Appendix”"),
        (lines.index("- Severity: high") + 1, "unknown risk field “Severity”"),
    ]


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("---\ntitle: x\n", 1, "never closed"),
        ("---\ntitle: [unclosed\nowner: x\n---\n", 3, "invalid YAML front matter"),
        ("---\n- a\n- b\n---\n", 1, "must be a mapping"),
        ("---\n" + "a: b\n" * 20000 + "---\n", 1, "larger than"),
    ],
)
def test_front_matter_errors(text: str, line: int, fragment: str) -> None:
    found = errors(text)
    assert len(found) == 1
    assert found[0][0] == line
    assert fragment in found[0][1]


def test_front_matter_alias_bomb_is_refused() -> None:
    text = "---\na: &a [x]\nb: !!python/object:os.system [x]\n---\n"
    found = errors(text)
    assert found and "invalid YAML front matter" in found[0][1]


def test_problems_carry_the_path() -> None:
    delta = parse_delta(b"", "docs/threat-model/deltas/1.0.0.md")
    assert {p.path for p in delta.problems} == {"docs/threat-model/deltas/1.0.0.md"}
    assert str(delta.problems[0]).startswith("docs/threat-model/deltas/1.0.0.md:1: ")


def test_not_utf8_is_a_warning() -> None:
    delta = parse_delta(VALID.encode() + b"\n\nA note \xff\xfe\n", "d.md")
    assert delta.valid
    assert [p.message for p in delta.problems] == [
        "not valid UTF-8; undecodable bytes were replaced"
    ]


def test_oversized_document() -> None:
    assert errors(b"x" * (3 * 1024 * 1024))[0][1].startswith("larger than")


def test_front_matter_split() -> None:
    assert split_front_matter("no front matter") == (None, "no front matter", 0)
    assert split_front_matter("---\na: 1\n---\nbody") == ("a: 1", "body", 3)
    assert split_front_matter("---\na: 1\n...\nbody") == ("a: 1", "body", 3)
