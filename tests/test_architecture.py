"""The shape of the code, checked statically (the source is parsed, no bot runs), so that what
issue 15 cleaned up does not come back: no import cycle, no module past 400 lines, and
handlers that stay thin (no `if action ==` chains, no role checks in their bodies, no
keyboards built and no `select()` written in them). docs/architecture.md says why.

Each check has a KNOWN_… set of offenders (files; import edges for cycles): what offended when
the check was written, while the handler layer was being moved into its packages. A NEW
offender fails the test; so does a listed one that no longer offends, so that the lists only
shrink (delete its line)."""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "db")
# Alembic's generated revisions are not modules anyone imports or splits.
SKIPPED = ("db/migrations/versions/",)
MAX_LINES = 400


def source_files(*packages: str) -> list[Path]:
    files = []
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not any(part in rel(path) for part in SKIPPED):
                files.append(path)
    return files


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=rel(path))


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def check_offenders(hits: list[Hit], known: set[str], rule: str, fix: str) -> None:
    """Fails on a file that offends and is not in `known` (the check's KNOWN_… set), and on
    a listed one that no longer offends."""
    new = [hit for hit in hits if hit.path not in known]
    gone = sorted(known - {hit.path for hit in hits})
    problems = []
    if new:
        problems.append(f"{rule}; {fix}:\n" + "\n".join(f"  {hit}" for hit in sorted(new, key=str)))
    if gone:
        problems.append(
            "no longer offend (well done): delete them from this check's KNOWN_… set in "
            "tests/test_architecture.py, so that they stay clean:\n"
            + "\n".join(f"  {path}" for path in gone)
        )
    assert not problems, "\n\n".join(problems)


# --- (a) no import cycle ----------------------------------------------------------------------

# An edge is any import a module writes: at its top level, in an `if TYPE_CHECKING:` block
# (a type-only import still ties the two modules together) and inside a function (a late
# import only delays the cycle). Both cycles issue 15 named hid that way: bot/app.py imported
# bot/delivery.py inside a function and delivery named App under TYPE_CHECKING;
# handlers/registration.py imported handlers/profile.py inside a function. Importing `a.b.c`
# counts as an edge to `a.b.c` only, not to the packages `a` and `a.b` above it.
# Known offenders are edges (importing file, imported module) that close a cycle today.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


def import_graph() -> dict[str, dict[str, tuple[str, int]]]:
    """module -> {imported module: (importing file, line)}, within bot, handlers and db."""
    paths = {module_name(path): path for path in source_files(*PACKAGES)}
    graph: dict[str, dict[str, tuple[str, int]]] = {name: {} for name in paths}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(parse(path)):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.append(full if full in paths else base)
            for target in targets:
                while target and target not in paths:  # `import a.b.c` of a name in a.b
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].setdefault(target, (rel(path), node.lineno))
    return graph


def reaches(graph: dict[str, dict[str, tuple[str, int]]], start: str, goal: str) -> list[str]:
    """A path of imports from start to goal, or [] if there is none."""
    seen = {start}
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        if path[-1] == goal:
            return path
        for nxt in graph[path[-1]]:
            if nxt not in seen:
                seen.add(nxt)
                paths.append([*path, nxt])
    return []


def test_no_import_cycle() -> None:
    graph = import_graph()
    known = {
        (module, target)
        for module, targets in graph.items()
        for target, (path, _line) in targets.items()
        if (path, target) in KNOWN_CYCLE_EDGES
    }
    pruned = {
        module: {t: where for t, where in targets.items() if (module, t) not in known}
        for module, targets in graph.items()
    }
    cycles = []
    for module, targets in pruned.items():
        for target, (path, line) in targets.items():
            back = reaches(pruned, target, module)
            if back:
                chain = " -> ".join(back)
                cycles.append(f"  {path}:{line}: {module} imports {target}, and {chain}")
    still = {
        (pruned_path, target)
        for module, targets in graph.items()
        for target, (pruned_path, _line) in targets.items()
        if (module, target) in known and reaches(graph, target, module)
    }
    gone = sorted(KNOWN_CYCLE_EDGES - still)
    problems = []
    if cycles:
        problems.append(
            "import cycles (any import: top level, TYPE_CHECKING or in a function); move what both "
            "sides need into a module of its own (as App went to bot/context.py) or import "
            "the lower layer only (handlers -> services -> db):\n" + "\n".join(sorted(cycles))
        )
    if gone:
        problems.append(
            "no longer close a cycle: delete them from KNOWN_CYCLE_EDGES in "
            "tests/test_architecture.py:\n" + "\n".join(f"  {edge}" for edge in gone)
        )
    assert not problems, "\n\n".join(problems)


# --- (b) no module over 400 lines ------------------------------------------------------------

KNOWN_LONG_MODULES: set[str] = set()


def long_modules() -> list[Hit]:
    hits = []
    for path in source_files(*PACKAGES):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            hits.append(Hit(rel(path), lines, f"{lines} lines"))
    return hits


def test_no_module_over_400_lines() -> None:
    check_offenders(
        long_modules(),
        KNOWN_LONG_MODULES,
        f"modules over {MAX_LINES} lines",
        "split them by sub-task into a package (about 350 lines a module at most), its "
        "__init__.py re-exporting the names callers use",
    )


# --- handlers stay thin -----------------------------------------------------------------------


def handler_nodes() -> Iterator[tuple[str, ast.AST]]:
    """Every node of every module in handlers/, with the module's path, except inside the
    filters (classes deriving from BaseFilter): a filter is where a role is checked and a press
    is resolved before any handler runs, which is what these checks ask for."""
    for path in source_files("handlers"):
        for node in outside_filters(parse(path)):
            yield rel(path), node


def outside_filters(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).endswith("BaseFilter") for base in node.bases
        ):
            continue
        yield node
        yield from outside_filters(node)


def called_name(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


# --- (c) one handler per callback action, no if/elif chains on it ---------------------------

KNOWN_ACTION_CHAINS: set[str] = set()


def is_action(node: ast.expr) -> bool:
    """`<x>.action`, or a local `action` copied from it."""
    if isinstance(node, ast.Name):
        return node.id == "action"
    return isinstance(node, ast.Attribute) and node.attr == "action"


def nodes_within(
    kind: type[ast.stmt] | tuple[type[ast.stmt], ...], part: str | None = None
) -> Iterator[tuple[str, ast.stmt, ast.AST]]:
    """(path, statement, node) for every node inside each statement of `kind` in handlers/
    (inside its `part` only, such as an `if`'s test, when given)."""
    for path, outer in handler_nodes():
        if isinstance(outer, kind):
            for node in ast.walk(getattr(outer, part) if part else outer):
                yield path, outer, node


def is_action_test(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Compare)
        and any(is_action(side) for side in [node.left, *node.comparators])
        and all(isinstance(op, ast.Eq | ast.NotEq | ast.In | ast.NotIn) for op in node.ops)
    )


def action_chains() -> list[Hit]:
    # An `elif` is an If in the orelse of another, so each branch is seen.
    return [
        Hit(path, branch.lineno, f"if {ast.unparse(test)}")
        for path, branch, test in nodes_within(ast.If, "test")
        if is_action_test(test)
    ]


def test_no_if_chains_on_the_action() -> None:
    check_offenders(
        action_chains(),
        KNOWN_ACTION_CHAINS,
        "handlers branch on a callback's action",
        "register one handler per action, with an Enum of the actions: "
        "r.callback_query.register(on_x, XCb.filter(F.action == XAction.x))",
    )


# --- (d) no role check in a handler's body --------------------------------------------------

# Calls that decide by role (and the flag they read). roles_of() is not among them: menus
# and help use it to show each person what their roles offer, which is not a gate.
ROLE_CHECKS = {"organizers_only", "can_organize", "is_admin", "has_role"}
KNOWN_ROLE_CHECKS: set[str] = set()


def role_check(node: ast.AST) -> str | None:
    if isinstance(node, ast.Call) and called_name(node) in ROLE_CHECKS:
        return f"{called_name(node)}()"
    if isinstance(node, ast.Attribute) and node.attr == "is_organizer":
        return ".is_organizer"
    return None


def role_checks() -> list[Hit]:
    return [
        Hit(path, getattr(node, "lineno", function.lineno), f"{what} in {function.name}")
        for path, function, node in nodes_within((ast.FunctionDef, ast.AsyncFunctionDef))
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        and (what := role_check(node))
    ]


def test_no_role_checks_in_handler_bodies() -> None:
    check_offenders(
        role_checks(),
        KNOWN_ROLE_CHECKS,
        "role checks inside handlers",
        "set the role once on the package's router with bot.filters.restrict(router, Role.X), "
        "or guard()/for_commands() on a mixed router (the fallback then says who it is for)",
    )


# --- (e) no keyboard built in a handler ------------------------------------------------------

KEYBOARD_CLASSES = {
    "InlineKeyboardBuilder",
    "InlineKeyboardMarkup",
    "InlineKeyboardButton",
    "ReplyKeyboardBuilder",
    "ReplyKeyboardMarkup",
    "KeyboardButton",
}
KNOWN_KEYBOARD_BUILDERS: set[str] = set()


def keyboards_built() -> list[Hit]:
    return [
        Hit(path, node.lineno, f"{called_name(node)}(...)")
        for path, node in handler_nodes()
        if isinstance(node, ast.Call) and called_name(node) in KEYBOARD_CLASSES
    ]


def test_no_keyboards_built_in_handlers() -> None:
    check_offenders(
        keyboards_built(),
        KNOWN_KEYBOARD_BUILDERS,
        "keyboards built in handlers",
        "build them in bot/keyboards/<area>.py beside their CallbackData and call that",
    )


# --- (f) no select() in a handler ------------------------------------------------------------

KNOWN_SELECTS: set[str] = set()


def selects() -> list[Hit]:
    return [
        Hit(path, node.lineno, ast.unparse(node)[:60])
        for path, node in handler_nodes()
        if isinstance(node, ast.Call) and called_name(node) == "select"
    ]


def test_no_select_in_handlers() -> None:
    check_offenders(
        selects(),
        KNOWN_SELECTS,
        "select() in handlers",
        "move the query into a function of bot/services/<area> (or db/) and call it",
    )
