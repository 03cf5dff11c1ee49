"""Every text Waypoint can show someone: domain responses and literals in the code.

Domain responses are read from every file in ``bot/domain`` (all engineers' files).
From the Python that talks to people (``actions/``, ``bot/channels/``, ``bot/telegram/``,
``bot/checkins/``) we take string literals that read like a sentence shown to a person:
``text=`` arguments of ``utter_message`` and module or class level constants, and any
other literal of four or more words that starts with a capital letter and ends like a
sentence. Docstrings and log calls are skipped: nobody outside sees them.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
DOMAIN = REPO / "bot" / "domain"
CODE_DIRS = ("actions", "bot/channels", "bot/telegram", "bot/checkins")
LOG_METHODS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
SENTENCE = re.compile(r"^[A-Z\"“'][^\n]*[.!?:)”]$", re.S)


@dataclass(frozen=True)
class Text:
    """One text and where it comes from (``file:response`` or ``file:line``)."""

    where: str
    text: str
    name: str = ""  # the response name, for domain texts


def domain_texts() -> list[Text]:
    """Every response text and button title in the domain."""
    found: list[Text] = []
    for path in sorted(DOMAIN.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (content.get("responses") or {}).items():
            for variation in variations or []:
                where = f"{path.name}:{name}"
                if variation.get("text"):
                    found.append(Text(where, variation["text"], name))
                for button in variation.get("buttons") or []:
                    found.append(Text(f"{where} button", button["title"], name))
    return found


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _call_nodes(tree: ast.AST, methods: set[str], keyword: str | None = None) -> set[int]:
    """Nodes inside calls of ``x.method(...)`` (only inside ``keyword=`` if given)."""
    ids = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in methods
        ):
            continue
        parts = [k.value for k in node.keywords if k.arg == keyword] if keyword else [node]
        for part in parts:
            ids.update(id(inner) for inner in ast.walk(part))
    return ids


def code_texts() -> list[Text]:
    """Sentence-like string literals in the code that talks to people."""
    found: list[Text] = []
    for folder in CODE_DIRS:
        for path in sorted((REPO / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstring_nodes(tree) | _call_nodes(tree, LOG_METHODS)
            uttered = _call_nodes(tree, {"utter_message"}, "text")
            for node in ast.walk(tree):
                if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
                    continue
                if id(node) in skip:
                    continue
                value = node.value.strip()
                if id(node) in uttered or (len(value.split()) >= 4 and SENTENCE.match(value)):
                    where = f"{path.relative_to(REPO)}:{node.lineno}"
                    found.append(Text(where, value))
    return found


def all_texts() -> list[Text]:
    """Domain texts and code texts together."""
    return domain_texts() + code_texts()
