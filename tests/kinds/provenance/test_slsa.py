"""The provenance kind's SLSA summaries and source normalisation."""

from __future__ import annotations

from secdocs.kinds.provenance.slsa import (
    builder_allowed,
    normalize_source,
    ref_names_tag,
    split_uri,
    summarize,
)


def test_source_uris_normalise() -> None:
    assert normalize_source("git+https://github.com/Acme/Widget.git@refs/tags/v1") == (
        "github.com/acme/widget"
    )
    assert normalize_source("git@github.com:acme/widget.git") == "github.com/acme/widget"
    assert normalize_source("github.com/acme/widget/") == "github.com/acme/widget"
    assert normalize_source(None) is None
    assert split_uri("git+https://github.com/o/r@refs/tags/v1") == (
        "git+https://github.com/o/r",
        "refs/tags/v1",
    )
    assert split_uri("https://github.com/o/r") == ("https://github.com/o/r", None)
    assert split_uri(None) == (None, None)
    assert ref_names_tag("refs/tags/v1", "v1") and ref_names_tag("v1", "v1")
    assert not ref_names_tag("refs/heads/v1", "v1")
    assert builder_allowed("https://b/x.yml@refs/tags/v2", ("https://b/x.yml",))
    assert not builder_allowed("https://b/x.yml@refs/tags/v2", ("https://b/x.yml@refs/tags/v1",))
    assert not builder_allowed(None, ("x",))


def test_summaries_of_both_predicate_versions() -> None:
    v1 = {
        "predicateType": "https://slsa.dev/provenance/v1",
        "predicate": {
            "buildDefinition": {
                "buildType": "bt",
                "externalParameters": {
                    "workflow": {
                        "repository": "https://github.com/o/r",
                        "ref": "refs/tags/v1",
                        "path": "w.yml",
                    }
                },
            },
            "runDetails": {"builder": {"id": "b"}},
        },
    }
    s = summarize(v1)
    assert s is not None
    assert (s.source_uri, s.source_ref, s.source_commit, s.entry_point) == (
        "https://github.com/o/r",
        "refs/tags/v1",
        None,
        "w.yml",
    )
    v02 = {
        "predicateType": "https://slsa.dev/provenance/v0.2",
        "predicate": {
            "builder": {"id": "b"},
            "invocation": {
                "configSource": {
                    "uri": "git+https://github.com/o/r@refs/tags/v1",
                    "digest": {"sha1": "ab"},
                }
            },
        },
    }
    s = summarize(v02)
    assert s is not None and s.source_commit == "ab" and s.source_ref == "refs/tags/v1"
    assert summarize({"predicateType": "x", "predicate": {}}) is None
    assert summarize({"predicateType": "https://slsa.dev/provenance/v1", "predicate": []}) is None
