"""The shape of the code: imports between the application's packages flow one way."""

import ast

from tests.conftest import REPO

APP = REPO / "app"


def _node(module: str) -> str | None:
    """The first-level part of the application a module belongs to (app.quizzes.kinds ->
    quizzes), or None outside it."""
    parts = module.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 else None


def import_graph() -> dict[str, set[str]]:
    """Which first-level parts of app/ import which (app/__init__.py, the factory that
    puts them together, is left out)."""
    graph: dict[str, set[str]] = {}
    for path in APP.rglob("*.py"):
        relative = path.relative_to(REPO).with_suffix("")
        if relative.parts == ("app", "__init__"):
            continue
        source = _node(".".join(relative.parts))
        targets = graph.setdefault(source, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
                if node.module == "app":
                    names = [f"app.{alias.name}" for alias in node.names]
            else:
                continue
            targets.update(t for name in names if (t := _node(name)) and t != source)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk, each as the path that closes it."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                found.append(path[path.index(target) :] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def test_no_package_of_the_application_imports_another_that_imports_it_back():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]


def test_features_sit_on_auth_and_content_and_not_the_other_way():
    graph = import_graph()
    for bottom in ("auth", "content"):
        features = {"learn", "quizzes", "assessment", "reminders", "companies", "home", "mydata"}
        assert not graph[bottom] & {*features, "course"}, bottom
    assert "learn" not in graph["quizzes"] and "assessment" not in graph["learn"]
