"""The Lark side of RSQL parsing: the grammar's parser and the tree-to-AST transformer (see filters.py)."""

from __future__ import annotations

import functools

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from mock_symbl.rsql.ast import OP_ALIASES, And, Comparison, Node, Or, RsqlError

GRAMMAR = r"""
    start: or_expr
    ?or_expr: and_expr ((_COMMA | _OR) and_expr)*   -> or_node
    ?and_expr: constraint (_AND constraint)*        -> and_node
    ?constraint: _LPAR or_expr _RPAR
               | comparison
    comparison: WORD OPERATOR arguments
    arguments: _LPAR value (_COMMA value)* _RPAR -> list_arguments
             | value                            -> one_argument
    ?value: WORD | DQSTRING | SQSTRING

    _AND: /\s*;\s*/ | /\s+and\s+/i
    _OR: /\s+or\s+/i
    _COMMA: /\s*,\s*/
    _LPAR: /\(\s*/
    _RPAR: /\s*\)/
    OPERATOR: /\s*(=[a-z]*=|[<>]=?|!=)\s*/
    WORD: /[^\s"'();,=<>!~]+/
    DQSTRING: /"(?:[^"\\]|\\.)*"/
    SQSTRING: /'(?:[^'\\]|\\.)*'/
"""


def _unquote(token: Token) -> str:
    text = str(token)
    if token.type in ("DQSTRING", "SQSTRING"):
        inner = text[1:-1]
        out: list[str] = []
        escaped = False
        for char in inner:
            if escaped:
                out.append(char)
                escaped = False
            elif char == "\\":
                escaped = True
            else:
                out.append(char)
        return "".join(out)
    return text


class _ToAst(Transformer[Token, Node]):
    def start(self, children: list[Node]) -> Node:
        return children[0]

    # The aliases fire even for one child; a lone child is returned as is.
    def or_node(self, children: list[Node]) -> Node:
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_node(self, children: list[Node]) -> Node:
        return children[0] if len(children) == 1 else And(tuple(children))

    @v_args(inline=True)
    def comparison(self, selector: Token, operator: Token, arguments: tuple[tuple[str, ...], bool]) -> Node:
        values, is_list = arguments
        op = operator.strip()
        return Comparison(str(selector), OP_ALIASES.get(op, op), values, is_list)

    def list_arguments(self, children: list[Token]) -> tuple[tuple[str, ...], bool]:
        return tuple(_unquote(c) for c in children), True

    def one_argument(self, children: list[Token]) -> tuple[tuple[str, ...], bool]:
        return (_unquote(children[0]),), False


@functools.cache
def _parser() -> Lark:
    """Built on first use: compiling the grammar is ~20 ms that server start-up need not pay."""
    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


def _describe(error: UnexpectedInput, text: str) -> str:
    if isinstance(error, UnexpectedEOF) or (
        isinstance(error, UnexpectedToken) and error.token.type == "$END"
    ):
        return "Invalid filter: it ends too early (a comparison looks like field==value)."
    position = getattr(error, "pos_in_stream", None)
    if position is None and isinstance(error, UnexpectedToken):
        position = error.token.start_pos
    if isinstance(error, UnexpectedCharacters | UnexpectedToken) and position is not None:
        return f"Invalid filter: unexpected {text[position : position + 12]!r} at position {position}."
    return "Invalid filter: it is not valid RSQL."


def parse_tree(source: str) -> Node:
    """The AST of stripped, non-empty RSQL text; RsqlError on syntax errors."""
    try:
        tree = _parser().parse(source)
    except UnexpectedInput as error:
        raise RsqlError(_describe(error, source)) from None
    return _ToAst().transform(tree)
