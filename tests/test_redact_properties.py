"""Property tests of redaction: embedded secrets are found and removed, whatever surrounds them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from secrets_corpus import VALUE_SECRETS

from secdocs.redact import redact_spans, secret_spans

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.text(max_size=300), st.sampled_from(list(VALUE_SECRETS.values())), st.text(max_size=50))
def test_redaction_removes_embedded_secrets(prefix: str, secret: str, suffix: str) -> None:
    value = f"{prefix} {secret} {suffix}"
    spans = secret_spans(value)
    assert spans
    assert all(0 <= a <= b <= len(value) for a, b in spans)
    redacted = redact_spans(value)
    if "BEGIN" not in secret and "://" not in secret and "Password=" not in secret:
        assert secret not in redacted
