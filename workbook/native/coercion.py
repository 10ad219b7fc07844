"""Cell coercion in native formulas: what a cell holds → the value, the error code and the
Chinese reason that ``udfs.coerce`` gives for it.

Mirrored: numbers; blank cells and whitespace-only text; TRUE/FALSE; error values (and the
error literals typed as text); numbers typed as text with spaces, tabs, line breaks, NBSP
and U+3000 anywhere, full-width digits and ，．％＋－ｅＥ, thousands separators checked as
``coerce._NUMBER`` checks them, decimals, exponents, signs, "%" and the units
元/万元/万/亿元/亿; 不涉及/不适用/无此项; the yes/no words. A constant argument is read in
Python at build time by ``udfs.coerce`` itself.

Not mirrored (a native formula cannot see it, or no user types it): a date-formatted cell
(Excel hands a function a date, a native formula a number), NFKC beyond full-width ASCII
digits and punctuation (circled digits, full-width letters in yes/no words), and more than
15 significant digits typed as text (Python reads them exactly, a spreadsheet as a double).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from udfs import coerce as py
from udfs.errors import DomainError

from .program import ERROR_CODES, Coerced, NativeArg, Program, literal, text_literal

#: Whitespace Python's str.strip() and \s see that a user can type.
WHITESPACE = ("\t", "\n", "\r", "\u00a0", "\u3000")
FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)} | {"，": ",", "．": ".", "％": "%", "＋": "+", "－": "-", "ｅ": "e", "Ｅ": "E"}
_KIND_NUMBER, _KIND_ERROR, _KIND_BLANK, _KIND_BOOL, _KIND_TEXT = range(5)
_ERROR_TEXTS = ",".join(f'"{literal_}"' for literal_, _ in sorted(ERROR_CODES.items(), key=lambda kv: kv[1]))


def _character(ch: str) -> str:
    """A one-character string constant; control characters as CHAR(n), which every application reads alike."""
    return f"CHAR({ord(ch)})" if ord(ch) < 32 else f'"{ch}"'


def _substituted(text: str, pairs) -> str:
    for old, new in pairs:
        text = f"SUBSTITUTE({text},{_character(old)},{_character(new)})"
    return text


@dataclass(frozen=True)
class Reading:
    """What a cell holds, computed once per cell: its kind, its text stripped as Python
    strips it, and its text cleaned for a number (whitespace removed, full-width mapped)."""

    raw: str
    kind: str
    stripped: str
    cleaned: str
    error_code: str


def reading(p: Program, ref: str) -> Reading:
    """The reading of ``ref``, made once per program."""
    key = ("reading", ref)
    if key in p.memo:
        return p.memo[key]
    spaced = p.cell(_substituted(f'IF(ISERROR({ref}),"",{ref}&"")', [(w, " ") for w in WHITESPACE]), "text, whitespace as spaces")
    kind = p.cell(
        # TRUE/FALSE before numbers: LibreOffice holds them as numbers in a boolean format
        f'IF(ISERROR({ref}),{_KIND_ERROR},IF(ISLOGICAL({ref}),{_KIND_BOOL},IF(ISNUMBER({ref}),{_KIND_NUMBER},'
        f'IF(TRIM({spaced})="",{_KIND_BLANK},{_KIND_TEXT}))))',
        "kind (0 number, 1 error, 2 blank, 3 TRUE/FALSE, 4 text)",
    )
    first = f"FIND(LEFT(TRIM({spaced}),1),{spaced})"
    last_char = f"RIGHT(TRIM({spaced}),1)"
    last = f'FIND(CHAR(1),SUBSTITUTE({spaced},{last_char},CHAR(1),LEN({spaced})-LEN(SUBSTITUTE({spaced},{last_char},""))))'
    stripped = p.cell(f'IF({kind}={_KIND_TEXT},MID({ref},{first},{last}-{first}+1),"")', "text as typed, stripped")
    cleaned = p.cell(_substituted(f'SUBSTITUTE({spaced}," ","")', FULL_WIDTH.items()), "text without whitespace, half-width")
    typed_error = f"MATCH({stripped},{{{_ERROR_TEXTS}}},0)"
    error_code = p.cell(f"IF({kind}={_KIND_ERROR},MIN(ERROR.TYPE({ref}),7),IF(ISNUMBER({typed_error}),{typed_error},0))", "error value held")
    result = Reading(ref, kind, stripped, cleaned, error_code)
    p.memo[key] = result
    return result


def _error_reason(r: Reading, label: str) -> str:
    literal_text = f"CHOOSE({r.error_code},{_ERROR_TEXTS})"
    return f'{text_literal(label + "引用的单元格本身是错误值 ")}&{literal_text}&"，请先更正该单元格"'


def _single(arg: NativeArg) -> str:
    assert arg.cells is not None and len(arg.cells) == 1, arg
    return arg.cells[0]


def _constant(reader, arg: NativeArg, *args, **kwargs) -> Coerced:
    """A constant read in Python at build time, as Excel hands it over (numbers as floats)."""
    value: Any = None if arg.omitted else arg.constant
    if isinstance(value, Fraction):
        value = float(value)
    try:
        result = reader(value, *args, **kwargs)
    except DomainError as error:
        return Coerced.failed(error.literal, error.reason)
    return Coerced(literal(result))


@dataclass(frozen=True)
class _Parsed:
    valid: str
    value: str
    percent: str
    with_unit: str


_UNITS = tuple((unit, len(str(factor)) - 1) for unit, factor in py.AMOUNT_UNITS)


def _parse(p: Program, r: Reading, units: bool) -> _Parsed:
    """coerce._parse_number_text on the cleaned text: shape, value, '%' and unit."""
    c = r.cleaned
    if units:
        test = "".join(f'IF(AND(RIGHT({c},{len(u)})="{u}",LEN({c})>{len(u)}),{len(u)},' for u, _ in _UNITS) + "0" + ")" * len(_UNITS)
        unit_length = p.cell(test, "unit length")
        power_test = "".join(f'IF(AND(RIGHT({c},{len(u)})="{u}",LEN({c})>{len(u)}),{e},' for u, e in _UNITS) + "0" + ")" * len(_UNITS)
        power = p.cell(power_test, "unit power of ten")
        rest = p.cell(f"LEFT({c},LEN({c})-{unit_length})", "without unit")
        with_unit = f"{unit_length}>0"
    else:
        power, rest, with_unit = "0", c, "FALSE"
    is_percent = p.cell(f'RIGHT({rest},1)="%"', "percent sign")
    body = p.cell(f"IF({is_percent},LEFT({rest},LEN({rest})-1),{rest})", "number text")
    unsigned = p.cell(f'IF(OR(LEFT({body},1)="+",LEFT({body},1)="-"),MID({body},2,LEN({body})),{body})', "unsigned")
    shape = p.cell(_substituted(unsigned, [(str(i), "0") for i in range(1, 10)]), "digit shape")
    e_at = p.cell(f'IFERROR(SEARCH("e",{shape}),0)', "exponent at")
    mantissa = p.cell(f"IF({e_at}>0,LEFT({shape},{e_at}-1),{shape})", "mantissa shape")
    exponent = p.cell(f'IF({e_at}>0,MID({shape},{e_at}+1,LEN({shape})),"")', "exponent shape")
    exp_digits = p.cell(f'IF(OR(LEFT({exponent},1)="+",LEFT({exponent},1)="-"),MID({exponent},2,LEN({exponent})),{exponent})', "exponent digits")
    exponent_ok = p.cell(f'OR({e_at}=0,AND(LEN({exp_digits})>0,{exp_digits}=REPT("0",LEN({exp_digits}))))', "exponent valid")
    dot_at = p.cell(f'IFERROR(FIND(".",{mantissa}),0)', "decimal point at")
    whole = p.cell(f"IF({dot_at}>0,LEFT({mantissa},{dot_at}-1),{mantissa})", "integer shape")
    fraction = p.cell(f'IF({dot_at}>0,MID({mantissa},{dot_at}+1,LEN({mantissa})),"")', "decimals shape")
    fraction_ok = p.cell(f'OR({dot_at}=0,AND(LEN({fraction})>0,{fraction}=REPT("0",LEN({fraction}))))', "decimals valid")
    commas = p.cell(f'LEN({whole})-LEN(SUBSTITUTE({whole},",",""))', "thousands separators")
    head = f"(LEN({whole})-4*{commas})"
    whole_ok = p.cell(
        f'IF({commas}=0,AND(LEN({whole})>0,{whole}=REPT("0",LEN({whole}))),'
        f'AND({head}>=1,{head}<=3,{whole}=REPT("0",{head})&REPT(",000",{commas})))',
        "integer part valid",
    )
    bare_decimal = f'AND(LEN({whole})=0,{dot_at}=1,{e_at}=0,{fraction_ok})'
    valid = p.cell(f"AND(LEN({shape})>0,OR(AND({whole_ok},{fraction_ok},{exponent_ok}),{bare_decimal}))", "is a number")
    digits = p.cell(f'SUBSTITUTE(IF({e_at}>0,LEFT({body},{e_at}-1+(LEN({body})-LEN({unsigned}))),{body}),",","")', "mantissa digits")
    exp_value = p.cell(f"IF({e_at}>0,VALUE(MID({body},{e_at}+1+(LEN({body})-LEN({unsigned})),LEN({body}))),0)", "exponent value")
    value = p.cell(f'IF({valid},VALUE({digits}&"E"&({exp_value}+{power}-2*{is_percent})),0)', "typed number")
    return _Parsed(valid, value, is_percent, with_unit)


def _not_applicable_word(r: Reading) -> str:
    return "OR(" + ",".join(f'{r.cleaned}="{w}"' for w in sorted(py.NOT_APPLICABLE_WORDS)) + ")"


def _refusal(r: Reading, label: str) -> tuple[str, str, str]:
    return (
        f"AND({r.kind}={_KIND_TEXT},{_not_applicable_word(r)})",
        str(ERROR_CODES["#VALUE!"]),
        f'{text_literal(label + "填写了“")}&{r.stripped}&"”，本指标不能按不涉及处理，请按实际情况填写"',
    )


def number(p: Program, arg: NativeArg, label: str, *, allow_percent: bool = True, units: bool = False,
           non_negative: bool = False) -> Coerced:
    """coerce.number (coerce.non_negative with ``non_negative``)."""
    if not arg.is_reference:
        reader = py.non_negative if non_negative else py.number
        return _constant(reader, arg, label, allow_percent=allow_percent, units=units)
    r = reading(p, _single(arg))
    parsed = _parse(p, r, units)
    allowed = "可带千分位逗号，或以“元”“万元”“亿元”为单位" if units else "可带千分位逗号"
    value = p.cell(f"IF({r.kind}={_KIND_NUMBER},{r.raw},IF({r.kind}={_KIND_TEXT},{parsed.value},0))", f"{label} value")
    V, N = ERROR_CODES["#VALUE!"], ERROR_CODES["#N/A"]
    checks = [
        (f"{r.error_code}>0", r.error_code, _error_reason(r, label)),
        (f"{r.kind}={_KIND_BLANK}", str(N), text_literal(label + "为空，请填写")),
        (f"{r.kind}={_KIND_BOOL}", str(V), text_literal(label + "应填写数字，不能是 TRUE/FALSE")),
        _refusal(r, label),
        (f"AND({r.kind}={_KIND_TEXT},NOT({parsed.valid}))", str(V), f'{text_literal(label + "“")}&{r.stripped}&{text_literal("”不是数字，请只填写数字（" + allowed + "）")}'),
        (f"AND({r.kind}={_KIND_TEXT},{parsed.percent},{parsed.with_unit})", str(V), f'{text_literal(label + "“")}&{r.stripped}&"”不能同时带百分号和金额单位"'),
    ]
    if not allow_percent:
        checks.append((f"AND({r.kind}={_KIND_TEXT},{parsed.percent})", str(V), text_literal(label + "是金额，不能填写百分比")))
    if non_negative:
        checks.append((f"{value}<0", str(V), text_literal(label + "不能为负数")))
    code, reason = p.first_error(checks, label)
    return Coerced(value, code, reason)


def non_negative(p: Program, arg: NativeArg, label: str, *, allow_percent: bool = True, units: bool = False) -> Coerced:
    return number(p, arg, label, allow_percent=allow_percent, units=units, non_negative=True)


def amount(p: Program, arg: NativeArg, label: str) -> Coerced:
    if not arg.is_reference:
        return _constant(py.amount, arg, label)
    return non_negative(p, arg, label, allow_percent=False, units=True)


def general_number(p: Program, value: str) -> str:
    """Python's ``f"{x:g}"`` for the numbers a count or a score can be (below 1e6)."""
    sig = p.cell(f"IF({value}=0,0,ROUND({value},5-INT(LOG10(ABS({value})))))", "6 significant digits")
    from .text import amount as shown_amount  # noqa: PLC0415

    body = shown_amount(p, f"ABS({sig})")
    return p.cell(f'IF({sig}<0,"-","")&SUBSTITUTE({body},",","")', ":g")


def count(p: Program, arg: NativeArg, label: str) -> Coerced:
    """coerce.count: a whole number >= 0."""
    if not arg.is_reference:
        return _constant(py.count, arg, label)
    base = non_negative(p, arg, label, allow_percent=False)
    code, reason = p.first_error([
        (f"{base.code}<>0", base.code, base.reason),
        (f"{base.value}<>INT({base.value})", str(ERROR_CODES["#VALUE!"]),
         f'{text_literal(label + "应为整数（个数），现为 ")}&{general_number(p, base.value)}'),
    ], label)
    return Coerced(base.value, code, reason)


def _word_in(r: Reading, words) -> str:
    upper = f"UPPER({r.stripped})"
    return "OR(" + ",".join(f'{upper}="{w}"' for w in sorted(words)) + ")"


def flag(p: Program, arg: NativeArg, label: str, points: Fraction = Fraction(1)) -> Coerced:
    """coerce.flag: 是/否 … → points or 0, a number → partial credit."""
    if not arg.is_reference:
        return _constant(py.flag, arg, label, points)
    r = reading(p, _single(arg))
    full = literal(points)
    yes = p.cell(f"OR(AND({r.kind}={_KIND_BOOL},{r.raw}=TRUE),AND({r.kind}={_KIND_TEXT},{_word_in(r, py._YES_WORDS)}))", f"{label} yes")
    no = p.cell(f"OR(AND({r.kind}={_KIND_BOOL},{r.raw}=FALSE),AND({r.kind}={_KIND_TEXT},{_word_in(r, py._NO_WORDS)}))", f"{label} no")
    given = number(p, arg, label)
    partial = p.cell(f"IF(AND({full}<=1,{given.value}=1),{full},{given.value})", f"{label} partial credit")
    value = p.cell(f"IF({yes},{full},IF({no},0,{partial}))", f"{label} points")
    V, N = ERROR_CODES["#VALUE!"], ERROR_CODES["#N/A"]
    code, reason = p.first_error([
        (f"{r.error_code}>0", r.error_code, _error_reason(r, label)),
        (f"{r.kind}={_KIND_BLANK}", str(N), text_literal(label + "为空，请填写")),
        _refusal(r, label),
        (f"OR({yes},{no})", "0", '""'),
        (f"{given.code}<>0", str(V), text_literal(label + "请填写“是”或“否”（或填写酌情得分）")),
        (f"OR({partial}<0,{partial}>{full})", str(V),
         f'{text_literal(label + "为 ")}&{general_number(p, given.value)}&{text_literal("，应为“是/否”或 0～" + format(float(points), "g") + " 之间的得分")}'),
    ], label)
    return Coerced(value, code, reason)


def option(p: Program, arg: NativeArg, label: str, default: bool) -> Coerced:
    """coerce.option: an on/off switch; blank → ``default``."""
    if not arg.is_reference:
        return _constant(py.option, arg, label, default)
    r = reading(p, _single(arg))
    yes = f"OR(AND({r.kind}={_KIND_BOOL},{r.raw}=TRUE),AND({r.kind}={_KIND_TEXT},{_word_in(r, py._YES_WORDS)}))"
    no = f"OR(AND({r.kind}={_KIND_BOOL},{r.raw}=FALSE),AND({r.kind}={_KIND_TEXT},{_word_in(r, py._NO_WORDS)}))"
    given = number(p, arg, label)
    value = p.cell(f"IF({r.kind}={_KIND_BLANK},{literal(default)},IF({yes},TRUE,IF({no},FALSE,{given.value}<>0)))", f"{label} on")
    code, reason = p.first_error([
        (f"{r.error_code}>0", r.error_code, _error_reason(r, label)),
        (f"{r.kind}={_KIND_BLANK}", "0", '""'),
        _refusal(r, label),
        (f"OR({yes},{no})", "0", '""'),
        (f"{given.code}<>0", str(ERROR_CODES["#VALUE!"]), text_literal(label + "请填写 TRUE/FALSE（或 是/否）")),
    ], label)
    return Coerced(value, code, reason)


def status(p: Program, arg: NativeArg, label: str) -> Coerced:
    """coerce.status: 按规定公开 (2), 公开但不符合要求 (1), 未公开 (0), or the number 2/1/0."""
    if not arg.is_reference:
        return _constant(py.status, arg, label)
    r = reading(p, _single(arg))
    # equality, not MATCH: MATCH would read "*" or "?" typed by a user as wildcards
    words = "".join(f"IF({r.stripped}={text_literal(word)},{level}," for word, level in py.STATUS_LEVELS.items())
    word_level = p.cell(f"IF({r.kind}={_KIND_TEXT},{words}-1{')' * len(py.STATUS_LEVELS)},-1)", f"{label} level named")
    parsed = _parse(p, r, units=False)
    given = p.cell(f"IF({r.kind}={_KIND_NUMBER},{r.raw},IF(AND({r.kind}={_KIND_TEXT},{parsed.valid}),{parsed.value},-1))", f"{label} number")
    level = p.cell(f"IF({word_level}>=0,{word_level},IF(OR({given}=0,{given}=1,{given}=2),{given},-1))", f"{label} level")
    code, reason = p.first_error([
        (f"{r.error_code}>0", r.error_code, _error_reason(r, label)),
        (f"{r.kind}={_KIND_BLANK}", str(ERROR_CODES["#N/A"]), text_literal(label + "为空，请填写")),
        _refusal(r, label),
        (f"{level}<0", str(ERROR_CODES["#VALUE!"]), text_literal(label + "请选择“按规定公开”“公开但不符合要求”或“未公开”（或填 2/1/0）")),
    ], label)
    return Coerced(p.cell(f"MAX(0,{level})", f"{label} level read"), code, reason)


def is_blank(p: Program, arg: NativeArg) -> str:
    if not arg.is_reference:
        return literal(arg.omitted or py.is_blank(arg.constant))
    return f"{reading(p, _single(arg)).kind}={_KIND_BLANK}"


def is_not_applicable(p: Program, arg: NativeArg) -> str:
    if not arg.is_reference:
        return literal(py.is_not_applicable(arg.constant))
    r = reading(p, _single(arg))
    return f"AND({r.kind}={_KIND_TEXT},{_not_applicable_word(r)})"


def declared_not_applicable(p: Program, args: dict[str, NativeArg], labels: dict[str, str]) -> Coerced:
    """coerce.not_applicable: value TRUE when the group declares 不涉及; its contradiction as the error."""
    claims = {name: p.cell(is_not_applicable(p, arg), f"{labels[name]} 不涉及") for name, arg in args.items()}
    any_claim = p.cell("OR(" + ",".join(claims.values()) + ")", "不涉及 declared")
    checks = []
    for name, arg in args.items():
        first_claimant = "".join(f'IF({claims[n]},{text_literal(labels[n])},' for n in args) + '""' + ")" * len(args)
        filled = f"AND(NOT({claims[name]}),NOT({is_blank(p, arg)}))"
        if arg.is_reference:
            r = reading(p, _single(arg))
            checks.append((f"AND({any_claim},{filled},{r.error_code}>0)", r.error_code, _error_reason(r, labels[name])))
        checks.append((f"AND({any_claim},{filled})", str(ERROR_CODES["#VALUE!"]),
                       f'{first_claimant}&{text_literal("填写了“不涉及”，但" + labels[name] + "填写了数字，请二者统一：确不涉及的都填“不涉及”，否则都填写金额")}'))
    code, reason = p.first_error(checks, "不涉及")
    return Coerced(any_claim, code, reason)


def range_cells(arg: NativeArg) -> list[NativeArg]:
    """A range argument as single-cell arguments, row by row."""
    if not arg.is_reference:
        return [arg]
    return [NativeArg(cells=(ref,)) for ref in arg.cells]


def optional_non_negative(p: Program, arg: NativeArg, label: str, default: Fraction) -> Coerced:
    """catalogue._optional_fraction: ``default`` when blank, else a number >= 0."""
    if not arg.is_reference:
        if arg.omitted or py.is_blank(arg.constant):
            return Coerced.constant(default)
        return _constant(py.non_negative, arg, label)
    given = non_negative(p, arg, label)
    blank = is_blank(p, arg)
    return Coerced(
        p.cell(f"IF({blank},{literal(default)},{given.value})", f"{label} or its default"),
        p.cell(f"IF({blank},0,{given.code})", f"{label} error code"),
        p.cell(f'IF({blank},"",{given.reason})', f"{label} reason"),
    )


def rate(p: Program, arg: NativeArg, label: str) -> Coerced:
    """coerce.rate: a fraction (0.95, a cell formatted 95%) or text "95%"; a bare number above
    RATE_CEILING is refused as a percentage typed without "%"."""
    if not arg.is_reference:
        return _constant(py.rate, arg, label)
    r = reading(p, _single(arg))
    given = number(p, arg, label)
    percent_sign = f'RIGHT({r.cleaned},1)="%"'
    V = str(ERROR_CODES["#VALUE!"])
    hint = "，比率请输入如 95% 的百分数（或 0.95）"
    code, reason = p.first_error([
        (f"{given.code}<>0", given.code, given.reason),
        (f"{given.value}<0", V, text_literal(label + "不能为负数")),
        (f"AND({r.kind}={_KIND_TEXT},NOT({percent_sign}),{given.value}>{py.RATE_CEILING})", V,
         f'{text_literal(label + "为 ")}&{r.stripped}&{text_literal(hint)}'),
        (f"AND({r.kind}={_KIND_NUMBER},{given.value}>{py.RATE_CEILING})", V,
         f'{text_literal(label + "为 ")}&{general_number(p, given.value)}&{text_literal(hint + "，不要输入 95")}'),
    ], label)
    return Coerced(given.value, code, reason)


#: NFKC's half-width forms of the full-width signs a direction word can hold (＞＝ → >=).
_DIRECTION_FULL_WIDTH = {**FULL_WIDTH, "＞": ">", "＜": "<", "＝": "="}


def direction(p: Program, arg: NativeArg, label: str) -> Coerced:
    """coerce.direction: ≥ (1, the default for a blank) or ≤ (-1), as a word or the number 1/-1."""
    if not arg.is_reference:
        return _constant(py.direction, arg, label)
    r = reading(p, _single(arg))
    word = p.cell(_substituted(r.stripped, _DIRECTION_FULL_WIDTH.items()), f"{label} half-width")
    at_least = "OR(" + ",".join(f"{word}={text_literal(w)}" for w in sorted(py._AT_LEAST_WORDS)) + ")"
    at_most = "OR(" + ",".join(f"{word}={text_literal(w)}" for w in sorted(py._AT_MOST_WORDS)) + ")"
    number_given = f"AND({r.kind}={_KIND_NUMBER},OR({r.raw}=1,{r.raw}=-1))"
    value = p.cell(
        f"IF({r.kind}={_KIND_BLANK},1,IF({number_given},{r.raw},IF(AND({r.kind}={_KIND_TEXT},{at_most}),-1,1)))",
        f"{label} (1 ≥, -1 ≤)",
    )
    code, reason = p.first_error([
        (f"{r.error_code}>0", r.error_code, _error_reason(r, label)),
        (f"{r.kind}={_KIND_BLANK}", "0", '""'),
        (number_given, "0", '""'),
        (f"AND({r.kind}={_KIND_TEXT},OR({at_least},{at_most}))", "0", '""'),
        _refusal(r, label),
        ("TRUE", str(ERROR_CODES["#VALUE!"]), text_literal(label + "请填写“≥”（越大越好）或“≤”（越小越好）")),
    ], label)
    return Coerced(value, code, reason)
