"""The shape of the code: imports point one way, modules stay small enough to read.

Reads every module of the apps (migrations aside) and fails on:
- an import cycle between project modules (module-level imports: what runs when a module is imported);
- an import of a project module inside a function, which hides a cycle or a layer breach (Django's
  `AppConfig.ready()` is the one place that must do it);
- an import across apps against the layers `content` ← feature apps ← `govlearn`: `content` imports no
  other app, a feature app imports only `content`, the site shell may import them all;
- a module longer than MAX_LINES.
"""

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = "content"
FEATURE_APPS = ("courses", "playbook", "community", "workshops")
SHELL = "govlearn"
APPS = (SHELL, CONTENT, *FEATURE_APPS)
# Which other apps each app may import.
MAY_IMPORT = {CONTENT: set(), SHELL: {CONTENT, *FEATURE_APPS}, **{app: {CONTENT} for app in FEATURE_APPS}}
MAX_LINES = 400
# Modules allowed past MAX_LINES, each with the reason it cannot be split. Keep it empty if you can.
LONG_MODULES: dict[str, str] = {}


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    top_level: set[str] = field(default_factory=set)  # project modules imported when this one is
    in_functions: list[tuple[int, str]] = field(default_factory=list)  # (line, project module)


def module_files() -> dict[str, Path]:
    files = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.relative_to(ROOT).parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            files[".".join(parts)] = path
    return files


def imported_names(node: ast.Import | ast.ImportFrom, module: Module, known: set[str]) -> list[str]:
    """The project modules an import statement names (a `from x import y` names x.y when y is a module)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            package = module.name.split(".") if module.is_package else module.name.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
    return [_nearest_module(name, known) for name in names if name.split(".")[0] in APPS]


def _nearest_module(name: str, known: set[str]) -> str:
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _is_type_checking(node: ast.If) -> bool:
    return "TYPE_CHECKING" in ast.unparse(node.test)


def _is_app_config_ready(node: ast.AST, parents: list[ast.AST], module: Module) -> bool:
    return (
        module.name.endswith(".apps")
        and getattr(node, "name", "") == "ready"
        and bool(parents)
        and isinstance(parents[-1], ast.ClassDef)
    )


def read_module(name: str, path: Path, known: set[str]) -> Module:
    module = Module(name, path, path.name == "__init__.py")

    def visit(node: ast.AST, parents: list[ast.AST], in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                continue  # annotations only: nothing is imported when the program runs
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                if _is_app_config_ready(child, parents, module):
                    continue
                visit(child, [*parents, child], True)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                for target in imported_names(child, module, known):
                    if in_function:
                        module.in_functions.append((child.lineno, target))
                    elif target != name:
                        module.top_level.add(target)
            else:
                visit(child, [*parents, child], in_function)

    visit(ast.parse(path.read_text(encoding="utf-8")), [], False)
    # Importing a.b.c runs a/__init__ and a/b/__init__ first, unless we are inside that package already.
    for target in list(module.top_level):
        parts = target.split(".")
        for end in range(1, len(parts)):
            package = ".".join(parts[:end])
            if package in known and not name.startswith(package + ".") and package != name:
                module.top_level.add(package)
    return module


def project_modules() -> dict[str, Module]:
    files = module_files()
    known = set(files)
    return {name: read_module(name, path, known) for name, path in files.items()}


def import_cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups = []
    for start in modules:
        if start in index:
            continue
        work = [(start, iter(sorted(modules[start].top_level & modules.keys())))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(modules[target].top_level & modules.keys()))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return sorted(groups)


@pytest.fixture(scope="module")
def modules() -> dict[str, Module]:
    return project_modules()


def test_the_walk_finds_every_app(modules):
    assert {name.split(".")[0] for name in modules} == set(APPS)
    assert "content.loading" in modules and not any(".migrations" in name for name in modules)


def test_no_import_cycle_between_modules(modules):
    cycles = [" <-> ".join(group) for group in import_cycles(modules)]
    assert cycles == [], "Modules that import each other (directly or round a loop):\n" + "\n".join(cycles)


def test_no_project_module_is_imported_inside_a_function(modules):
    found = [
        f"{module.path.relative_to(ROOT)}:{line} imports {target}"
        for module in modules.values()
        for line, target in sorted(set(module.in_functions))
    ]
    assert found == [], (
        "Import project modules at the top of the module (only AppConfig.ready() may import inside):\n"
        + "\n".join(found)
    )


def test_imports_between_apps_follow_the_layers(modules):
    found = []
    for module in modules.values():
        app = module.name.split(".")[0]
        targets = module.top_level | {target for _line, target in module.in_functions}
        for target in sorted(targets):
            other = target.split(".")[0]
            if other != app and other not in MAY_IMPORT[app]:
                found.append(f"{module.name} -> {target}")
    assert found == [], "content <- courses, playbook, community, workshops <- govlearn:\n" + "\n".join(found)


def test_no_module_is_longer_than_the_limit(modules):
    found = []
    for module in modules.values():
        lines = len(module.path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES and module.name not in LONG_MODULES:
            found.append(f"{module.path.relative_to(ROOT)}: {lines} lines")
    assert found == [], f"Split these by flow or concept (at most {MAX_LINES} lines):\n" + "\n".join(found)
    stale = [name for name in LONG_MODULES if name not in modules]
    assert stale == [], f"Exceptions for modules that no longer exist: {stale}"


# The checks themselves, on small made-up apps: each finds what it must find.


def write(root: Path, files: dict[str, str]) -> dict[str, Module]:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    paths = {}
    for relative in files:
        parts = list(Path(relative).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        paths[".".join(parts)] = root / relative
    return {name: read_module(name, path, set(paths)) for name, path in paths.items()}


def test_the_checks_find_cycles_local_imports_and_layer_breaches(tmp_path):
    modules = write(
        tmp_path,
        {
            "content/__init__.py": "",
            "content/a.py": "from . import b\n",
            "content/b.py": "from content.a import x\n",
            "courses/__init__.py": "",
            "courses/apps.py": (
                "class C(AppConfig):\n    def ready(self):\n        from . import views\n"
                "def elsewhere():\n    from . import views\n"
            ),
            "courses/views.py": "import playbook.models\nfrom govlearn import x\n",
            "courses/typed.py": "if TYPE_CHECKING:\n    from playbook import models\n",
            "playbook/__init__.py": "",
            "playbook/models.py": "",
            "govlearn/__init__.py": "",
        },
    )
    assert import_cycles(modules) == [["content.a", "content.b"]]
    assert modules["courses.apps"].in_functions == [(5, "courses.views")]
    assert modules["courses.views"].top_level == {"playbook.models", "playbook", "govlearn"}
    assert modules["courses.typed"].top_level == set()
