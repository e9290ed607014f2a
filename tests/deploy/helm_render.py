"""A small renderer for the subset of Helm templates the clinic chart uses.

There is no `helm` binary here (and none installable offline), yet the chart must be rendered
to be validated. This renders Go-template text with Helm's conventions for exactly the subset
documented in `deploy/k8s/README.md`:

- actions `{{ … }}` with `{{-` / `-}}` whitespace trimming and `{{/* comments */}}`;
- `.Values.a.b`, `.Release.Name`, `.Chart.AppVersion`, `$`, `$var.field`, `$x := …`, `$x = …`;
- `if` / `else if` / `else` / `end`, `with`, `range` over lists and maps (`range $k, $v := …`,
  keys in sorted order like Go), `define` / `include`;
- functions: default, quote, squote, toYaml, toJson, nindent, indent, upper, lower, replace, printf,
  list, prepend, dict, set, keys, sortAlpha, has, hasPrefix, eq, ne, not, and, or, empty, len, required, fail, sha256sum,
  trunc, trimSuffix, int, ternary, b64enc, index (maps and lists), fromYaml (a map);
- `.Files.Get "path"` (a file of the chart; a missing one is an error, not "").

Anything outside the subset raises `TemplateError`, so a template that only real Helm would
understand fails the tests instead of rendering silently wrong.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class TemplateError(Exception):
    """A template outside the supported subset, or a `required`/`fail` that fired."""


# ---------------------------------------------------------------- lexing of the text/action stream

_ACTION = re.compile(r"\{\{(-\s)?(.*?)(\s-)?\}\}", re.S)


@dataclass
class _Text:
    text: str


@dataclass
class _Action:
    source: str


def _split(source: str) -> list[_Text | _Action]:
    """Text and actions, with Go's trim markers already applied to the surrounding text."""
    parts: list[_Text | _Action] = []
    pos = 0
    trim_next = False
    for match in _ACTION.finditer(source):
        text = source[pos : match.start()]
        if trim_next:
            text = text.lstrip()
        if match.group(1):
            text = text.rstrip()
        parts.append(_Text(text))
        body = match.group(2).strip()
        if not (body.startswith("/*") and body.endswith("*/")):
            parts.append(_Action(body))
        trim_next = bool(match.group(3))
        pos = match.end()
    tail = source[pos:]
    parts.append(_Text(tail.lstrip() if trim_next else tail))
    return parts


# ---------------------------------------------------------------- expressions inside one action

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<str>"(?:[^"\\]|\\.)*")
      | (?P<raw>`[^`]*`)
      | (?P<num>-?\d+(?:\.\d+)?)
      | (?P<assign>:=|=)
      | (?P<punct>[|(),])
      | (?P<var>\$[A-Za-z_0-9]*(?:\.[A-Za-z_][A-Za-z_0-9]*)*)
      | (?P<field>(?:\.[A-Za-z_][A-Za-z_0-9]*)+|\.)
      | (?P<ident>[A-Za-z_][A-Za-z_0-9]*)
    )""",
    re.X,
)


def _tokens(source: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    source = source.rstrip()
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None or match.end() == pos:
            raise TemplateError(f"cannot read {source[pos:]!r} in {{{{ {source} }}}}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    return tokens


@dataclass
class _Literal:
    value: Any


@dataclass
class _Field:
    base: str | None  # None → dot; "$" → root; "$name" → a variable
    path: list[str]


@dataclass
class _Call:
    name: str
    args: list[Any]


@dataclass
class _Pipeline:
    commands: list[list[Any]]  # each command: a list of operands (first may be a function name)
    declare: list[str] = field(default_factory=list)  # `$a, $b :=` (range) or `$x :=`
    assign_only: bool = False  # `$x = …` re-assigns an existing variable


class _ExprParser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.tokens = _tokens(source)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise TemplateError(f"unexpected end of {{{{ {self.source} }}}}")
        self.pos += 1
        return token

    def pipeline(self, *, top: bool = False) -> _Pipeline:
        declare: list[str] = []
        assign_only = False
        if top:
            # `$a := …`, `$a = …` or `$k, $v := …`
            save = self.pos
            names: list[str] = []
            while (token := self.peek()) is not None and token[0] == "var":
                names.append(self.take()[1])
                if (nxt := self.peek()) is not None and nxt == ("punct", ","):
                    self.take()
                    continue
                break
            nxt = self.peek()
            if names and nxt is not None and nxt[0] == "assign":
                assign_only = self.take()[1] == "="
                declare = names
            else:
                self.pos = save
        commands = [self.command()]
        while (token := self.peek()) is not None and token == ("punct", "|"):
            self.take()
            commands.append(self.command())
        return _Pipeline(commands, declare, assign_only)

    def command(self) -> list[Any]:
        operands: list[Any] = []
        while (token := self.peek()) is not None and token not in (("punct", "|"), ("punct", ")")):
            operands.append(self.operand())
        if not operands:
            raise TemplateError(f"empty command in {{{{ {self.source} }}}}")
        return operands

    def operand(self) -> Any:
        kind, text = self.take()
        if kind == "str":
            return _Literal(json.loads(text))
        if kind == "raw":
            return _Literal(text[1:-1])
        if kind == "num":
            return _Literal(float(text) if "." in text else int(text))
        if kind == "field":
            return _Field(None, [] if text == "." else text[1:].split("."))
        if kind == "var":
            head, *path = text.split(".")
            return _Field(head, path)
        if kind == "ident":
            if text in ("true", "false"):
                return _Literal(text == "true")
            if text == "nil":
                return _Literal(None)
            return _Call(text, [])
        if (kind, text) == ("punct", "("):
            inner = self.pipeline()
            if self.take() != ("punct", ")"):
                raise TemplateError(f"missing ) in {{{{ {self.source} }}}}")
            return inner
        raise TemplateError(f"unexpected {text!r} in {{{{ {self.source} }}}}")

    def done(self) -> _Pipeline:
        result = self.pipeline(top=True)
        if self.peek() is not None:
            raise TemplateError(f"unexpected {self.peek()!r} in {{{{ {self.source} }}}}")
        return result


# ---------------------------------------------------------------- template tree


@dataclass
class _Output:
    pipeline: _Pipeline


@dataclass
class _If:
    branches: list[tuple[_Pipeline, list[Any]]]
    otherwise: list[Any]
    with_: bool = False


@dataclass
class _Range:
    pipeline: _Pipeline
    body: list[Any]
    otherwise: list[Any]


_KEYWORD = re.compile(r"^(if|else if|else with|else|end|range|with|define|block|template)\b\s*(.*)$", re.S)


def _parse(parts: list[_Text | _Action], defines: dict[str, list[Any]]) -> list[Any]:
    stream = iter(parts)
    body, stop = _parse_block(stream, defines)
    if stop is not None:
        raise TemplateError(f"unexpected {{{{ {stop} }}}}")
    return body


def _parse_block(stream: Iterator[_Text | _Action], defines: dict[str, list[Any]]) -> tuple[list[Any], str | None]:
    """Nodes up to an `else…`/`end` (returned as the stop keyword text) or the end of input."""
    nodes: list[Any] = []
    for part in stream:
        if isinstance(part, _Text):
            if part.text:
                nodes.append(part)
            continue
        match = _KEYWORD.match(part.source)
        if match is None:
            nodes.append(_Output(_ExprParser(part.source).done()))
            continue
        keyword, rest = match.group(1), match.group(2)
        if keyword in ("end", "else", "else if", "else with"):
            return nodes, part.source
        if keyword in ("if", "with"):
            nodes.append(_parse_if(stream, defines, rest, with_=keyword == "with"))
        elif keyword == "range":
            inner, stop = _parse_block(stream, defines)
            otherwise: list[Any] = []
            if stop == "else":
                otherwise, stop = _parse_block(stream, defines)
            if stop != "end":
                raise TemplateError("range without end")
            nodes.append(_Range(_ExprParser(rest).done(), inner, otherwise))
        elif keyword == "define":
            name = json.loads(rest.strip())
            inner, stop = _parse_block(stream, defines)
            if stop != "end":
                raise TemplateError(f"define {name} without end")
            defines[name] = inner
        else:
            raise TemplateError(f"{keyword} is outside the supported template subset")
    return nodes, None


def _parse_if(stream: Iterator[_Text | _Action], defines: dict[str, list[Any]], condition: str, *, with_: bool) -> _If:
    branches: list[tuple[_Pipeline, list[Any]]] = []
    otherwise: list[Any] = []
    current = condition
    while True:
        inner, stop = _parse_block(stream, defines)
        branches.append((_ExprParser(current).done(), inner))
        if stop is None:
            raise TemplateError("if without end")
        if stop == "end":
            break
        if stop.startswith("else if") and not with_:
            current = stop[len("else if") :].strip()
            continue
        if stop == "else":
            otherwise, stop = _parse_block(stream, defines)
            if stop != "end":
                raise TemplateError("else without end")
            break
        raise TemplateError(f"{stop} is outside the supported template subset")
    return _If(branches, otherwise, with_)


# ---------------------------------------------------------------- evaluation


def _truthy(value: Any) -> bool:
    if value is None or value is False:
        return False
    if isinstance(value, int | float | str | list | dict | tuple):
        return bool(value)
    return True


def _to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict | list):
        raise TemplateError(f"printing a {type(value).__name__} directly; use toYaml or toJson: {value!r}")
    return str(value)


def _to_yaml(value: Any) -> str:
    if value is None:
        return "null"
    return yaml.safe_dump(value, default_flow_style=False, sort_keys=True, allow_unicode=True).rstrip("\n")


def _indent(width: int, text: str) -> str:
    pad = " " * int(width)
    return "\n".join(pad + line if line else line for line in str(text).split("\n"))


def _default(*args: Any) -> Any:
    if len(args) == 1:
        return args[0]
    fallback, value = args[0], args[1]
    return value if _truthy(value) else fallback


def _required(message: str, value: Any = None) -> Any:
    if not _truthy(value):
        raise TemplateError(message)
    return value


def _fail(message: str) -> Any:
    raise TemplateError(message)


def _printf(fmt: str, *args: Any) -> str:
    converted = re.sub(r"%[vsdq]", lambda m: {"%v": "%s", "%s": "%s", "%d": "%d", "%q": '"%s"'}[m.group(0)], fmt)
    return converted % tuple(_to_text(a) if not isinstance(a, int) or isinstance(a, bool) else a for a in args)


def _index(collection: Any, *keys: Any) -> Any:
    """Go's `index`: a missing map key gives nil; a list index out of range is an error."""
    for key in keys:
        if collection is None:
            return None
        if isinstance(collection, dict):
            collection = collection.get(key)
        elif isinstance(collection, list | tuple):
            if not isinstance(key, int) or not 0 <= key < len(collection):
                raise TemplateError(f"index {key!r} out of range")
            collection = collection[key]
        else:
            raise TemplateError(f"index of a {type(collection).__name__}")
    return collection


def _from_yaml(text: Any) -> dict[str, Any]:
    """Sprig's fromYaml for a map (Helm gives {"Error": …} on bad input; here it is an error)."""
    value = yaml.safe_load(_to_text(text)) or {}
    if not isinstance(value, dict):
        raise TemplateError(f"fromYaml of a {type(value).__name__}")
    return value


def _dict(*args: Any) -> dict[str, Any]:
    if len(args) % 2:
        raise TemplateError("dict needs key/value pairs")
    return {str(args[i]): args[i + 1] for i in range(0, len(args), 2)}


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "default": _default,
    "quote": lambda *values: " ".join(json.dumps(_to_text(v), ensure_ascii=False) for v in values),
    "squote": lambda value: "'" + _to_text(value) + "'",
    "toYaml": _to_yaml,
    "toJson": lambda value: json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False),
    "nindent": lambda width, text: "\n" + _indent(width, text),
    "indent": _indent,
    "upper": lambda text: _to_text(text).upper(),
    "lower": lambda text: _to_text(text).lower(),
    "replace": lambda old, new, text: _to_text(text).replace(old, new),
    "trimSuffix": lambda suffix, text: _to_text(text).removesuffix(suffix),
    "trunc": lambda n, text: _to_text(text)[: int(n)],
    "printf": _printf,
    "list": lambda *items: list(items),
    "prepend": lambda items, item: [item, *(items or [])],
    "set": lambda mapping, key, value: mapping.__setitem__(key, value) or mapping,
    "hasPrefix": lambda prefix, text: _to_text(text).startswith(prefix),
    "dict": _dict,
    "keys": lambda *maps: [key for mapping in maps for key in (mapping or {})],
    "sortAlpha": lambda items: sorted(_to_text(i) for i in (items or [])),
    "has": lambda item, items: item in (items or []),
    "eq": lambda a, *others: any(a == other for other in others),
    "ne": lambda a, b: a != b,
    "not": lambda value: not _truthy(value),
    "and": lambda *values: next((v for v in values if not _truthy(v)), values[-1]),
    "or": lambda *values: next((v for v in values if _truthy(v)), values[-1]),
    "empty": lambda value: not _truthy(value),
    "len": lambda value: len(value or []),
    "required": _required,
    "fail": _fail,
    "sha256sum": lambda text: hashlib.sha256(_to_text(text).encode()).hexdigest(),
    "int": lambda value: int(value or 0),
    "ternary": lambda yes, no, condition: yes if _truthy(condition) else no,
    "b64enc": lambda text: base64.b64encode(_to_text(text).encode()).decode(),
    "index": _index,
    "fromYaml": _from_yaml,
}


class _Scope:
    def __init__(self, root: Any, parent: _Scope | None = None) -> None:
        self.root = root
        self.parent = parent
        self.variables: dict[str, Any] = {}

    def lookup(self, name: str) -> Any:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.variables:
                return scope.variables[name]
            scope = scope.parent
        raise TemplateError(f"undefined variable {name}")

    def assign(self, name: str, value: Any) -> None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.variables:
                scope.variables[name] = value
                return
            scope = scope.parent
        raise TemplateError(f"assignment to undefined variable {name}")


class _Renderer:
    def __init__(self, defines: dict[str, list[Any]]) -> None:
        self.defines = defines

    def render(self, nodes: list[Any], dot: Any, scope: _Scope) -> str:
        out: list[str] = []
        for node in nodes:
            if isinstance(node, _Text):
                out.append(node.text)
            elif isinstance(node, _Output):
                value = self.pipeline(node.pipeline, dot, scope)
                if node.pipeline.declare:
                    continue
                out.append(_to_text(value))
            elif isinstance(node, _If):
                out.append(self.render_if(node, dot, scope))
            elif isinstance(node, _Range):
                out.append(self.render_range(node, dot, scope))
        return "".join(out)

    def render_if(self, node: _If, dot: Any, scope: _Scope) -> str:
        for condition, body in node.branches:
            inner = _Scope(scope.root, scope)
            value = self.pipeline(condition, dot, inner)
            if _truthy(value):
                return self.render(body, value if node.with_ else dot, inner)
        return self.render(node.otherwise, dot, _Scope(scope.root, scope))

    def render_range(self, node: _Range, dot: Any, scope: _Scope) -> str:
        names = node.pipeline.declare
        collection = self.pipeline(_Pipeline(node.pipeline.commands), dot, scope)
        if isinstance(collection, dict):
            items = [(key, collection[key]) for key in sorted(collection)]
        elif isinstance(collection, list | tuple):
            items = list(enumerate(collection))
        elif collection is None:
            items = []
        else:
            raise TemplateError(f"range over {type(collection).__name__}")
        if not items:
            return self.render(node.otherwise, dot, _Scope(scope.root, scope))
        out: list[str] = []
        for key, value in items:
            inner = _Scope(scope.root, scope)
            if len(names) == 1:
                inner.variables[names[0]] = value
            elif len(names) == 2:
                inner.variables[names[0]], inner.variables[names[1]] = key, value
            out.append(self.render(node.body, value, inner))
        return "".join(out)

    def pipeline(self, pipe: _Pipeline, dot: Any, scope: _Scope) -> Any:
        value: Any = None
        for index, command in enumerate(pipe.commands):
            piped = [value] if index > 0 else []
            value = self.command(command, dot, scope, piped)
        if len(pipe.declare) == 1:
            if pipe.assign_only:
                scope.assign(pipe.declare[0], value)
            else:
                scope.variables[pipe.declare[0]] = value
        return value

    def command(self, operands: list[Any], dot: Any, scope: _Scope, piped: list[Any]) -> Any:
        head = operands[0]
        if isinstance(head, _Call):
            args = [self.operand(op, dot, scope) for op in operands[1:]] + piped
            if head.name == "include":
                return self.include(args)
            if head.name not in FUNCTIONS:
                raise TemplateError(f"function {head.name} is outside the supported template subset")
            return FUNCTIONS[head.name](*args)
        if isinstance(head, _Field) and callable(method := self.operand(head, dot, scope)):
            # A method of Helm's objects: `.Files.Get "path"`.
            return method(*[self.operand(op, dot, scope) for op in operands[1:]], *piped)
        if len(operands) > 1 or piped:
            raise TemplateError("only a function takes arguments")
        return self.operand(head, dot, scope)

    def operand(self, op: Any, dot: Any, scope: _Scope) -> Any:
        if isinstance(op, _Literal):
            return op.value
        if isinstance(op, _Pipeline):
            return self.pipeline(op, dot, scope)
        if isinstance(op, _Call):
            return self.command([op], dot, scope, [])
        if isinstance(op, _Field):
            if op.base is None:
                value = dot
            elif op.base == "$":
                value = scope.root
            else:
                value = scope.lookup(op.base)
            for name in op.path:
                if value is None:
                    return None
                if not isinstance(value, dict):
                    raise TemplateError(f"field {name} of a {type(value).__name__}")
                value = value.get(name)
            return value
        raise TemplateError(f"cannot evaluate {op!r}")

    def include(self, args: list[Any]) -> str:
        if len(args) != 2:
            raise TemplateError("include takes a name and a context")
        name, context = args
        if name not in self.defines:
            raise TemplateError(f"no template named {name!r}")
        # As in Go, `$` inside a named template is the context it was given.
        return self.render(self.defines[name], context, _Scope(context))


# ---------------------------------------------------------------- the chart


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _files(chart_dir: Path) -> dict[str, Callable[..., str]]:
    """Helm's `.Files`, its `Get` only: a file of the chart by its path inside the chart. Helm
    gives "" for a file that is not there; here that is an error (a misspelt path would
    otherwise render an empty rule or dashboard)."""

    def get(name: str) -> str:
        path = chart_dir / name
        if name.startswith("templates/") or not path.is_file():
            raise TemplateError(f".Files.Get: no file {name!r} in the chart")
        return path.read_text()

    return {"Get": get}


def render_chart(
    chart_dir: Path,
    *,
    release: str = "clinic",
    namespace: str = "default",
    values: dict[str, Any] | None = None,
    notes: bool = False,
) -> dict[str, str]:
    """Render every template of the chart: {template path: rendered text}, like `helm template`
    (with `notes`, templates/NOTES.txt too, as `helm install` prints it)."""
    chart = yaml.safe_load((chart_dir / "Chart.yaml").read_text())
    merged = _deep_merge(yaml.safe_load((chart_dir / "values.yaml").read_text()) or {}, values or {})
    root = {
        "Values": merged,
        "Release": {"Name": release, "Namespace": namespace, "Service": "Helm", "IsInstall": True},
        "Chart": {"Name": chart["name"], "Version": chart["version"], "AppVersion": chart.get("appVersion", "")},
        "Capabilities": {},
        "Files": _files(chart_dir),
    }
    templates = sorted((chart_dir / "templates").glob("*"))
    defines: dict[str, list[Any]] = {}
    trees: dict[str, list[Any]] = {}
    for path in templates:
        if path.suffix not in (".yaml", ".tpl", ".txt"):
            continue
        trees[path.name] = _parse(_split(path.read_text()), defines)
    renderer = _Renderer(defines)
    return {
        f"{chart['name']}/templates/{name}": renderer.render(tree, root, _Scope(root))
        for name, tree in trees.items()
        if not name.startswith("_") and (name.endswith(".yaml") or (notes and name == "NOTES.txt"))
    }


def render_chart_objects(chart_dir: Path, **kwargs: Any) -> list[dict[str, Any]]:
    """The rendered chart as Kubernetes objects (empty documents dropped)."""
    objects: list[dict[str, Any]] = []
    for text in render_chart(chart_dir, **kwargs).values():
        objects.extend(doc for doc in yaml.safe_load_all(text) if doc)
    return objects
