"""JUnit XML test reports as release evidence: an example secdocs collector."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element  # nosec B405 - parsing goes through defusedxml

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from secdocs.collectors import Collector, PageContext, ReleaseContext
from secdocs.errors import EvidenceError
from secdocs.model import EvidenceItem, Findings, Kind, Section, Status
from secdocs.options import Flag, Options
from secdocs.render.html import badge, esc, html_block, link, table


def _count(element: Element, key: str) -> int:
    try:
        return max(0, int(element.get(key, "0")))
    except ValueError:
        return 0


def summarise(root: Element) -> dict[str, int]:
    """Totals of a ``<testsuites>`` or ``<testsuite>`` document."""
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        for key in totals:
            totals[key] += _count(suite, key)
    return totals


class JUnitOptions(Options):
    """``collectors: {junit: {require: true}}``"""

    #: a release without a JUnit report is ``missing`` evidence
    require = Flag(False)


class JUnitCollector(Collector):
    name = "junit"
    order = 80
    options_class = JUnitOptions

    def collect(self, ctx: ReleaseContext) -> Findings:
        items = []
        reports = [f for f in ctx.files_with_role(Kind.REPORT) if f.name.endswith(".junit.xml")]
        for report in reports:
            try:
                root = ElementTree.fromstring(ctx.read(report))
            except EvidenceError as exc:
                items.append(self._item(report.name, Status.FAILED, exc.message))
                continue
            except (ElementTree.ParseError, DefusedXmlException) as exc:
                items.append(self._item(report.name, Status.FAILED, f"not JUnit XML: {exc}"))
                continue
            totals = summarise(root)
            broken = totals["failures"] + totals["errors"]
            if totals["tests"] == 0:
                items.append(
                    self._item(report.name, Status.FAILED, "the report holds no tests", totals)
                )
            elif broken:
                items.append(
                    self._item(
                        report.name,
                        Status.FAILED,
                        f"{broken} of {totals['tests']} tests failed",
                        totals,
                    )
                )
            else:
                items.append(self._item(report.name, Status.PRESENT, None, totals))
        if not reports and self.options.get("require"):
            items.append(self._item(None, Status.MISSING, "no *.junit.xml test report"))
        return Findings(self.name, tuple(items))

    def _item(
        self,
        path: str | None,
        status: Status,
        reason: str | None,
        totals: dict[str, int] | None = None,
    ) -> EvidenceItem:
        return EvidenceItem(
            kind="test-report",
            path=path,
            status=status,
            reason=reason,
            collector=self.name,
            details=dict(totals or {}),
        )

    def render(self, findings: Findings, page: PageContext) -> Sequence[Section]:
        rows = [
            (
                badge(i.status),
                link(i.path, page.file_url(i.path)) if i.path else "",
                *(esc(i.details.get(k, "")) for k in ("tests", "failures", "errors", "skipped")),
            )
            for i in findings.items
        ]
        if not rows:
            return ()
        headers = ("Status", "Report", "Tests", "Failures", "Errors", "Skipped")
        return (Section("tests", "Test reports", html_block(table(headers, rows)), self.order),)
