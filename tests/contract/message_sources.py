"""The texts a client can be shown, found in the source: what error answers say.

Walks the platform's source (not the tests) and collects, as the source writes them
(f-string placeholders kept as `{expression}`):
- the first argument of every raise of an error class (ClinicError and its subclasses,
  found by name, the services' own subclasses included);
- the message of `ValidationFailed.field(field, message)`;
- `ValueError(...)` and `PydanticCustomError(type, message)` in modules that use pydantic
  (a validator's message is what the client reads);
- the "message" of an `{"field": …, "message": …}` literal (rules returning field errors);
- the title and detail of the gateway edge's own answers, `problem(send, status, title, detail)`
  (gateway/edge.py); a status's generic title ("Not authenticated" for 401) is answered as its
  code's, so it needs no entry of its own.
A text passed on in a variable (`reason = _token_problem(…)`, then `problem(send, 401, …,
reason)` or `raise Unauthorized(reason)`) is followed one step: to the literal texts returned
by the function of that module that made it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from clinic_shared.problems import GENERIC

ROOT = Path(__file__).resolve().parents[2]
SOURCES = {
    "shared": ROOT / "shared" / "src",
    "gateway": ROOT / "gateway" / "src",
    **{path.name: path / "src" for path in sorted((ROOT / "services").iterdir()) if (path / "src").is_dir()},
}
OPERATOR_ONLY = {"settings.py", "problems.py", "openapi.py", "migrate.py", "migrations.py"}
BASE_ERRORS = {
    "ClinicError",
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
    "PayloadTooLarge",
    "UnsupportedMediaType",
    "ValidationFailed",
    "TooManyRequests",
    "ServiceUnavailable",
    "PreconditionFailed",
    "PreconditionRequired",
}


@dataclass(frozen=True)
class Text:
    template: str
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.template!r}"


def template(node: ast.expr) -> str | None:
    """The text of a string expression, placeholders as written; None when not a literal."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.Constant):
                parts.append(str(value.value))
            elif isinstance(value, ast.FormattedValue):
                parts.append("{" + ast.unparse(value.value) + "}")
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = template(node.left), template(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _trees(service: str) -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SOURCES[service].rglob("*.py")):
        # The fakes answer tests, settings.py and the OpenAPI/problem registries talk to operators at startup.
        if "fake_" in str(path) or path.name.startswith("messages_") or path.name in OPERATOR_ONLY:
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def error_classes() -> set[str]:
    """The base errors and every subclass of them the source defines (to a fixed point)."""
    names = set(BASE_ERRORS)
    classes = [
        (node.name, {ast.unparse(base).split(".")[-1] for base in node.bases})
        for service in SOURCES
        for _, tree in _trees(service)
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    ]
    changed = True
    while changed:
        changed = False
        for name, bases in classes:
            if name not in names and bases & names:
                names.add(name)
                changed = True
    return names


def _called(node: ast.Call) -> str:
    return ast.unparse(node.func).split(".")[-1]


def _edge_problem_texts(node: ast.Call) -> list[ast.expr]:
    """Title and detail of `problem(send, status, title, detail, …)` (gateway/edge.py)."""
    if _called(node) != "problem" or not node.args or ast.unparse(node.args[0]) != "send":
        return []
    keywords = {keyword.arg: keyword.value for keyword in node.keywords}
    texts = [*node.args[2:4], *(keywords[name] for name in ("title", "detail") if name in keywords)]
    title = node.args[2] if len(node.args) > 2 else keywords.get("title")
    if title is not None and _is_generic_title(title, node):
        texts.remove(title)
    return texts


def _is_generic_title(title: ast.expr, node: ast.Call) -> bool:
    """Whether a title is its status's generic one (answered as that code's title, ru or en)."""
    status = node.args[1] if len(node.args) > 1 else None
    if not isinstance(status, ast.Constant) or status.value not in GENERIC:
        return False
    return template(title) == GENERIC[status.value].title


def _returned_texts(tree: ast.Module) -> dict[str, list[ast.expr]]:
    """Function name → the literal texts it returns, for every function the module defines."""
    returned: dict[str, list[ast.expr]] = {}
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            returned.setdefault(function.name, []).extend(
                node.value
                for node in ast.walk(function)
                if isinstance(node, ast.Return) and node.value is not None and template(node.value) is not None
            )
    return returned


def _made_by(tree: ast.Module) -> dict[str, set[str]]:
    """Variable name → the module's own functions whose call assigned it (`x = f(…)`, `x := self.f(…)`)."""
    functions = {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    made: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.NamedExpr):
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Call) and _called(value) in functions:
            made.setdefault(target.id, set()).add(_called(value))
    return made


def _followed(candidate: ast.expr, made: dict[str, set[str]], returned: dict[str, list[ast.expr]]) -> list[ast.expr]:
    """A text, or for a variable the texts the module's functions that made it return."""
    if isinstance(candidate, ast.Name):
        return [text for function in sorted(made.get(candidate.id, ())) for text in returned.get(function, [])]
    return [candidate]


def texts(service: str, errors: set[str] | None = None) -> list[Text]:
    errors = errors if errors is not None else error_classes()
    found: list[Text] = []
    for path, tree in _trees(service):
        uses_pydantic = "pydantic" in ast.unparse(tree)
        made, returned = _made_by(tree), _returned_texts(tree)
        for node in ast.walk(tree):
            candidates: list[ast.expr] = []
            if isinstance(node, ast.Call):
                name = _called(node)
                if ast.unparse(node.func).endswith("ValidationFailed.field") and len(node.args) >= 2:
                    candidates.append(node.args[1])
                elif name in errors and node.args:
                    candidates.append(node.args[0])
                elif name == "ValueError" and uses_pydantic and node.args:
                    candidates.append(node.args[0])
                elif name == "PydanticCustomError" and len(node.args) >= 2:
                    candidates.append(node.args[1])
                else:
                    candidates.extend(_edge_problem_texts(node))
            elif isinstance(node, ast.Dict):
                keys = [key.value for key in node.keys if isinstance(key, ast.Constant)]
                if "field" in keys and "message" in keys:
                    candidates.append(node.values[keys.index("message")])
            for candidate in [text for found_here in candidates for text in _followed(found_here, made, returned)]:
                text = template(candidate)
                if text and any(character.isalpha() for character in text):
                    found.append(Text(text, path, candidate.lineno))
    return found


def raised_codes(service: str, errors: set[str] | None = None) -> set[str]:
    """The problem codes the source gives when raising (`Conflict("…", code="slot-taken")`)."""
    errors = errors if errors is not None else error_classes()
    return {
        keyword.value.value
        for _, tree in _trees(service)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _called(node) in errors
        for keyword in node.keywords
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)
    }
