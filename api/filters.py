"""SCIM-style `filter=` expressions (`eventType eq "x" and (actor.id eq "a" or
not target.id pr)`), parsed into a Django `Q` over an allow-list of fields.
Operators eq ne co sw ew pr, and gt lt for fields that order (the v1 Events API's
`published`); and/or/not; parentheses. Each endpoint names its
fields, the operators each allows, and the error codes Okta uses for it."""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q

from api.errors import ApiError

TOKEN = re.compile(r'\s*(?:(\()|(\))|"((?:[^"\\]|\\.)*)"|([A-Za-z_][A-Za-z0-9_.]*))')
# co/sw/ew compare case-insensitively, as SCIM does for attributes that are not caseExact.
LOOKUPS = {"eq": "exact", "co": "icontains", "sw": "istartswith", "ew": "iendswith", "gt": "gt", "lt": "lt"}
# Bounds that keep the recursive parser and the Q tree it builds (which Django compiles
# recursively too) far from Python's recursion limit: no real filter comes near them.
MAX_DEPTH = 20  # nested parentheses and `not`s
MAX_COMPARISONS = 100


@dataclass(frozen=True)
class Field:
    """`lookup` is an ORM path, or a callable (operator, value) -> Q for fields kept elsewhere."""

    lookup: str | Callable[[str, str], Q]
    operators: frozenset = field(default_factory=lambda: frozenset({"eq"}))
    boolean: bool = False


@dataclass(frozen=True)
class Errors:
    syntax: str = "E0000031"  # the expression cannot be parsed
    unsupported: str = "E0000031"  # unknown field, or an operator the field does not allow


def _tokens(text: str, errors: Errors) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        match = TOKEN.match(text, pos)
        if not match:
            raise ApiError(errors.syntax, f"Invalid filter '{text}'" if errors.syntax == "E0000053" else "")
        opening, closing, string, word = match.groups()
        if opening:
            tokens.append(("(", "("))
        elif closing:
            tokens.append((")", ")"))
        elif string is not None:
            tokens.append(("str", re.sub(r"\\(.)", r"\1", string)))
        else:
            tokens.append(("word", word))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str, fields: dict[str, Field], errors: Errors):
        self.text, self.fields, self.errors = text, fields, errors
        self.tokens, self.pos = _tokens(text, errors), 0
        self.depth = self.comparisons = 0

    def fail(self, code: str, why: str = ""):
        detail = f"Invalid filter '{self.text}': {why}".strip() if code == "E0000053" else ""
        raise ApiError(code, detail)

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        if token[0] is None:
            self.fail(self.errors.syntax, "unexpected end of expression")
        self.pos += 1
        return token

    def keyword(self, word: str) -> bool:
        kind, value = self.peek()
        return kind == "word" and value.lower() == word

    def expression(self) -> Q:
        q = self.term()
        while self.keyword("or"):
            self.take()
            q = q | self.term()
        return q

    def term(self) -> Q:
        q = self.factor()
        while self.keyword("and"):
            self.take()
            q = q & self.factor()
        return q

    def factor(self) -> Q:
        kind, value = self.take()
        if kind == "(" or (kind == "word" and value.lower() == "not"):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                self.fail(self.errors.syntax, f"nested more than {MAX_DEPTH} deep")
            q = self.nested(kind)
            self.depth -= 1
            return q
        self.comparisons += 1
        if self.comparisons > MAX_COMPARISONS:
            self.fail(self.errors.syntax, f"more than {MAX_COMPARISONS} comparisons")
        if kind != "word":
            self.fail(self.errors.syntax, f"expected an attribute, found {value!r}")
        spec = self.fields.get(value)
        if spec is None:
            self.fail(self.errors.unsupported, f"unsupported attribute '{value}'")
        op_kind, operator = self.take()
        operator = operator.lower()
        if op_kind != "word" or operator not in (*LOOKUPS, "ne", "pr"):
            self.fail(self.errors.syntax, f"Unrecognized attribute operator '{operator}'")
        if operator not in spec.operators:
            self.fail(self.errors.unsupported, f"operator '{operator}' is not supported for '{value}'")
        if operator == "pr":
            return self.compare(spec, "pr", "")
        literal_kind, literal = self.take()
        if spec.boolean:
            if literal_kind != "word" or literal.lower() not in ("true", "false"):
                self.fail(self.errors.syntax, f"'{value}' takes true or false")
            return self.compare(spec, operator, literal.lower() == "true")
        if literal_kind != "str":
            self.fail(self.errors.syntax, f"'{value}' takes a quoted string")
        return self.compare(spec, operator, literal)

    def nested(self, kind: str) -> Q:
        if kind == "(":
            q = self.expression()
            if self.take()[0] != ")":
                self.fail(self.errors.syntax, "missing ')'")
            return q
        return ~self.factor()

    @staticmethod
    def compare(spec: Field, operator: str, literal) -> Q:
        if callable(spec.lookup):
            return spec.lookup(operator, literal)
        if operator == "pr":
            return Q(**{f"{spec.lookup}__isnull": False}) & ~Q(**{spec.lookup: ""})
        if operator == "ne":
            return ~Q(**{spec.lookup: literal})
        return Q(**{f"{spec.lookup}__{LOOKUPS[operator]}": literal})


def parse_filter(text: str | None, fields: dict[str, Field], errors: Errors = Errors()) -> Q:  # noqa: B008
    if not text or not text.strip():
        return Q()
    parser = _Parser(text, fields, errors)
    q = parser.expression()
    if parser.peek()[0] is not None:
        parser.fail(errors.syntax, f"unexpected {parser.peek()[1]!r}")
    return q
