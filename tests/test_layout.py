"""The code's shape: config/ small, apps depending one way, no import circles, Django used
through its public API only."""

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Top-level packages of the project, each with the packages it may import.
LAYERS = {
    "core": set(),
    "actors": {"core"},
    "visits": {"core", "actors"},
    "sources": {"core", "actors", "visits"},
    "claims": {"core", "actors", "visits", "sources"},
    "assertions": {"core", "actors", "visits", "sources", "claims"},
    "pages": {"core", "actors", "visits", "sources", "claims", "assertions"},
    "ingest": {"core", "actors", "visits", "sources", "claims", "assertions"},
    "api": {"core", "actors", "visits", "sources", "claims"},
    "config": {
        "core",
        "actors",
        "visits",
        "sources",
        "claims",
        "assertions",
        "pages",
        "ingest",
        "api",
    },
    "bench": {
        "core",
        "actors",
        "visits",
        "sources",
        "claims",
        "assertions",
        "pages",
        "ingest",
        "api",
        "config",
    },
}
#: Django's QuerySet and Model internals that the project once re-implemented or overrode.
FORBIDDEN = re.compile(
    r"_iterable_class|_fetch_all|_chain\(|_clone\(|klass_info|get_related_populators"
    r"|_prefetch_related_lookups|_get_FIELD_display"
)


def project_modules():
    """Return {module name: path} of every project module outside migrations and tests."""
    modules = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def imported_modules(path, name, known):
    """Return the project modules that the module `name` at `path` imports (anywhere in it)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            # The longest project module the name is, or lies in.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph():
    modules = project_modules()
    return {name: imported_modules(path, name, modules) for name, path in modules.items()}


def test_config_holds_only_settings_urls_wsgi_middleware_and_error_handlers():
    files = sorted(
        path.relative_to(ROOT / "config").as_posix() for path in (ROOT / "config").rglob("*.py")
    )
    assert files == [
        "__init__.py",
        "env.py",
        "errors.py",
        "middleware.py",
        "settings.py",
        "urls.py",
        "wsgi.py",
    ]
    lines = sum(len(path.read_text().splitlines()) for path in (ROOT / "config").rglob("*.py"))
    assert lines <= 600


def test_apps_depend_one_way():
    wrong = []
    for module, imports in import_graph().items():
        layer = module.split(".")[0]
        for target in imports:
            other = target.split(".")[0]
            if other != layer and other not in LAYERS[layer]:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_module_imports_another_in_a_circle():
    graph = import_graph()
    # Tarjan's strongly connected components: a component of two or more modules is a circle.
    index, low, on_stack, stack, circles = {}, {}, set(), [], []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == []


def test_no_module_reaches_into_the_orm_internals():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in project_modules().values()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert offenders == []


def django_private_names():
    """Return the underscore names of the Django and library classes the project builds on."""
    import django_filters
    from django import forms
    from django.contrib import admin
    from django.core.paginator import Page, Paginator
    from django.db import models
    from django.http import HttpResponse
    from django.views import View

    classes = [
        models.Model,
        models.QuerySet,
        models.Manager,
        models.Field,
        forms.Form,
        forms.ModelForm,
        forms.Field,
        forms.Widget,
        forms.Select,
        admin.ModelAdmin,
        admin.TabularInline,
        Paginator,
        Page,
        HttpResponse,
        View,
        django_filters.FilterSet,
        django_filters.Filter,
    ]
    return {
        name
        for cls in classes
        for name in dir(cls)
        if name.startswith("_") and not name.startswith("__")
    } | {"_state", "_result_cache", "_default_manager", "_base_manager"}


#: Underscore names the project may use: Django's model metadata, and django-simple-history's
#: documented way of giving a saved change its reason and its user.
ALLOWED = {"_meta", "_change_reason", "_history_user"}


def test_no_module_uses_an_underscore_attribute_of_a_django_object():
    private = django_private_names() - ALLOWED
    offenders = []
    for path in project_modules().values():
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.Attribute):
                continue
            name = node.attr
            if not name.startswith("_") or name.startswith("__") or name in ALLOWED:
                continue
            own = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if name in private or not own:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} .{name}")
    assert offenders == []


def test_one_template_language():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert not [dep for dep in project["dependencies"] if dep.lower().startswith("jinja2")]
    from django.conf import settings

    assert [engine["BACKEND"] for engine in settings.TEMPLATES] == [
        "django.template.backends.django.DjangoTemplates"
    ]
