"""No import cycles inside ``secdocs/`` (imports needed only by type checkers excepted)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "secdocs"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports(path: Path, modules: set[str]) -> set[str]:
    """secdocs modules ``path`` imports at run time (at any depth, not under TYPE_CHECKING)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return {m for m in found if m in modules and m != name}


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: imports(path, modules) for name, path in paths.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_inside_secdocs() -> None:
    edges = graph()
    assert len(edges) > 50
    assert cycles(edges) == []


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def render_reaches_a_collector(edges: dict[str, set[str]]) -> dict[str, list[str]]:
    """Each kind's rendering module and the collection modules it reaches, if any."""
    found: dict[str, list[str]] = {}
    for name in sorted(edges):
        parts = name.split(".")
        if parts[:2] != ["secdocs", "kinds"] or parts[-1] != "render":
            continue
        bad = sorted(m for m in reachable(edges, name) if m.split(".")[-1] == "collect")
        if bad:
            found[name] = bad
    return found


def test_the_render_rule_finds_a_render_module_importing_a_collector() -> None:
    edges = {
        "secdocs.kinds.a.render": {"secdocs.kinds.a.model", "secdocs.helper"},
        "secdocs.helper": {"secdocs.kinds.b.collect"},
        "secdocs.kinds.a.model": set(),
        "secdocs.kinds.c.render": {"secdocs.kinds.c.model"},
    }
    assert render_reaches_a_collector(edges) == {
        "secdocs.kinds.a.render": ["secdocs.kinds.b.collect"]
    }


def test_every_kind_renders_from_its_model_never_from_a_collector() -> None:
    edges = graph()
    renders = [n for n in edges if n.startswith("secdocs.kinds.") and n.endswith(".render")]
    assert len(renders) >= 2
    assert render_reaches_a_collector(edges) == {}


#: code the kinds build on: it must not depend on any one kind
SHARED = (
    "secdocs.collectors",
    "secdocs.verify",
    "secdocs.sbom",
    "secdocs.render",
    "secdocs.roles",
    "secdocs.evidence",
    "secdocs.model",
    "secdocs.options",
    "secdocs.safety",
    "secdocs.redact",
    "secdocs.release_files",
    "secdocs.advisory_ids",
)


def shared_imports_of_kinds(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    """(shared module, kind module) for every import of a kind by shared code."""
    return sorted(
        (name, target)
        for name, targets in edges.items()
        if any(name == s or name.startswith(f"{s}.") for s in SHARED)
        for target in targets
        if target.startswith("secdocs.kinds.")
    )


def test_the_shared_rule_finds_shared_code_importing_a_kind() -> None:
    edges = {"secdocs.verify.keys": {"secdocs.kinds.signatures.model"}, "secdocs.kinds.a": set()}
    assert shared_imports_of_kinds(edges) == [
        ("secdocs.verify.keys", "secdocs.kinds.signatures.model")
    ]


def test_shared_code_never_imports_a_kind() -> None:
    edges = graph()
    assert shared_imports_of_kinds(edges) == []
