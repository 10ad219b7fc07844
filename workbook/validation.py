"""A framework file checked field by field: every problem a `FrameworkError` naming the
file, the indicator and what to change."""
from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Optional

from .formulas import NOT_APPLICABLE_PARAMS, Call, import_udfs, parse_call
from .model import (
    COLUMN_KINDS, DEFAULT_UNITS, DIRECTION_WORDS, FLAG_WORDS, INPUT_KINDS, STATUS_WORDS,
    Column, Framework, FrameworkError, Indicator, Input, Item, Level1, Level2,
)
from .names import REMEDY_NAME_SUFFIX, RESERVED_NAMES, SCORE_NAME_SUFFIX, remedy_name, score_name, subtotal_name
from .printing import REMEDY_LABEL
from .values import to_fraction, format_number

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_CELL_LIKE_RE = re.compile(r"^[a-z]{1,3}[0-9]+$")  # would read as a cell reference (A1 style)
_R1C1_LIKE_RE = re.compile(r"^(r[0-9]*c?[0-9]*|c[0-9]*)$")  # R1C1-style (r, c, r1c1, rc2 …)


_TOP_FIELDS = {"framework", "level1", "level2", "indicator", "__extends__"}
_FRAMEWORK_FIELDS = {"id", "title", "region", "year", "description", "source"}
_LEVEL1_FIELDS = {"key", "name", "points", "__origin__"}
_LEVEL2_FIELDS = {"key", "name", "points", "parent", "__origin__"}
_INDICATOR_FIELDS = {"key", "name", "points", "parent", "description", "criteria", "score", "note", "input", "__origin__"}
_INPUT_FIELDS = {
    "key", "label", "kind", "unit", "help", "items", "points", "default", "min", "max", "rows", "column", "remove",
    "required", "not_applicable",
}
_ITEM_FIELDS = {"label", "points", "help"}
_COLUMN_FIELDS = {"key", "label", "kind", "unit", "help", "default", "min", "max", "required"}


class _Validator:
    def __init__(self, path: Path, raw: dict, chain: list[str]):
        self.path = path
        self.raw = raw
        self.chain = chain

    # errors --------------------------------------------------------------

    def fail(self, problem: str, where: Optional[str] = None, origin: Optional[str] = None):
        file = str(self.path)
        if origin and Path(origin).resolve() != self.path.resolve():
            file = f"{self.path}（该项定义于 {origin}）"
        raise FrameworkError(file, problem, where)

    def require(self, entry: dict, fields: Iterable[str], where: str, origin: Optional[str] = None):
        for f in fields:
            if f not in entry or entry[f] is None or (isinstance(entry[f], str) and not entry[f].strip()):
                self.fail(f"缺少必填字段 {f}（missing field '{f}'）", where, origin)

    def unknown(self, entry: dict, allowed: set[str], where: str, origin: Optional[str] = None):
        extra = sorted(set(entry) - allowed)
        if extra:
            self.fail(f"未知字段 {', '.join(extra)}（unknown field; 可用字段：{', '.join(sorted(a for a in allowed if not a.startswith('__')))}）", where, origin)

    def points(self, value: Any, where: str, origin: Optional[str], field_name: str = "points", allow_zero: bool = False) -> Fraction:
        try:
            p = to_fraction(value)
        except TypeError:
            self.fail(f"{field_name} 应为数字（'{field_name}' must be a number），实际为 {value!r}", where, origin)
        if p < 0 or (p == 0 and not allow_zero):
            self.fail(f"{field_name} 应大于0（'{field_name}' must be > 0），实际为 {value!r}", where, origin)
        return p

    def switch(self, entry: dict, name: str, default: bool, where: str, origin: Optional[str]) -> bool:
        value = entry.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"{name} 应为 true 或 false，实际为 {value!r}", where, origin)
        return value

    def key(self, value: Any, where: str, origin: Optional[str], what: str = "key"):
        if not isinstance(value, str) or not _KEY_RE.match(value):
            self.fail(f"{what} = {value!r} 不合规：只能用小写英文字母、数字和下划线，且以字母开头（used as an Excel defined name）", where, origin)
        if _CELL_LIKE_RE.match(value) or _R1C1_LIKE_RE.match(value):
            self.fail(f"{what} = {value!r} 会被 Excel 当作单元格引用，不能用作名称（looks like a cell reference）", where, origin)
        if len(value) > 200:
            self.fail(f"{what} = {value!r} 太长", where, origin)

    # build ---------------------------------------------------------------

    def build(self) -> Framework:
        raw = self.raw
        self.unknown(raw, _TOP_FIELDS, "文件顶层")
        fw = raw.get("framework")
        if not isinstance(fw, dict):
            self.fail("缺少 [framework] 表（missing [framework] table with id, title）")
        self.unknown(fw, _FRAMEWORK_FIELDS, "[framework]")
        self.require(fw, ("title",), "[framework]")
        fw_id = fw.get("id") or self.path.stem
        year = fw.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            self.fail(f"year 应为整数年份，实际为 {year!r}", "[framework]")

        # level 1
        level1s: list[Level1] = []
        l1_by_key: dict[str, Level1] = {}
        for i, e in enumerate(raw.get("level1") or []):
            origin = e.get("__origin__")
            where = f"一级指标「{e.get('name', '?')}」({e.get('key', f'第{i + 1}个 [[level1]]')})"
            self.unknown(e, _LEVEL1_FIELDS, where, origin)
            self.require(e, ("key", "name", "points"), where, origin)
            self.key(e["key"], where, origin)
            if e["key"] in l1_by_key:
                self.fail(f"一级指标 key 重复（duplicate key '{e['key']}'）", where, origin)
            l1 = Level1(e["key"], e["name"], self.points(e["points"], where, origin))
            l1_by_key[l1.key] = l1
            level1s.append(l1)
        if not level1s:
            self.fail("没有一级指标（no [[level1]] entries）")

        # level 2
        l2_by_key: dict[str, Level2] = {}
        for i, e in enumerate(raw.get("level2") or []):
            origin = e.get("__origin__")
            where = f"二级指标「{e.get('name', '?')}」({e.get('key', f'第{i + 1}个 [[level2]]')})"
            self.unknown(e, _LEVEL2_FIELDS, where, origin)
            self.require(e, ("key", "name", "points", "parent"), where, origin)
            self.key(e["key"], where, origin)
            if e["key"] in l2_by_key or e["key"] in l1_by_key:
                self.fail(f"二级指标 key 重复（duplicate key '{e['key']}'）", where, origin)
            parent = l1_by_key.get(e["parent"])
            if parent is None:
                self.fail(f"parent = \"{e['parent']}\" 不是已定义的一级指标 key（unknown parent；可用：{', '.join(l1_by_key)}）", where, origin)
            l2 = Level2(e["key"], e["name"], self.points(e["points"], where, origin), e["parent"], level1=parent)
            parent.children.append(l2)
            l2_by_key[l2.key] = l2

        # indicators
        ind_keys: set[str] = set(l1_by_key) | set(l2_by_key)
        input_names: dict[str, str] = {}  # defined name -> indicator label
        indicators: list[Indicator] = []
        for i, e in enumerate(raw.get("indicator") or []):
            origin = e.get("__origin__")
            where = f"指标「{e.get('name', '?')}」({e.get('key', f'第{i + 1}个 [[indicator]]')})"
            self.unknown(e, _INDICATOR_FIELDS, where, origin)
            self.require(e, ("key", "name", "points", "parent", "description", "criteria", "score"), where, origin)
            self.key(e["key"], where, origin)
            if e["key"] in ind_keys:
                self.fail(f"指标 key 重复（duplicate key '{e['key']}'）", where, origin)
            ind_keys.add(e["key"])
            parent = l2_by_key.get(e["parent"])
            if parent is None:
                self.fail(f"parent = \"{e['parent']}\" 不是已定义的二级指标 key（unknown parent；可用：{', '.join(l2_by_key)}）", where, origin)
            for text_field in ("name", "description", "criteria", "score"):
                if not isinstance(e[text_field], str):
                    self.fail(f"{text_field} 应为文本（'{text_field}' must be a string）", where, origin)
            inputs = [self.build_input(inp, e["key"], where, origin, input_names) for inp in (e.get("input") or [])]
            if not inputs:
                self.fail("没有定义输入项（no [[indicator.input]]）", where, origin)
            ind = Indicator(
                key=e["key"],
                name=e["name"].strip(),
                points=self.points(e["points"], where, origin),
                parent=e["parent"],
                description=_clean_text(e["description"]),
                criteria=_clean_text(e["criteria"]),
                score=e["score"].strip(),
                note=(e.get("note") or "").strip(),
                inputs=inputs,
                origin=origin or str(self.path),
                level2=parent,
                level1=parent.level1,
            )
            parent.indicators.append(ind)
            indicators.append(ind)

        framework = Framework(
            id=str(fw_id),
            title=str(fw["title"]).strip(),
            region=str(fw.get("region", "")),
            year=year,
            path=self.path,
            level1=level1s,
            extends=raw.get("__extends__"),
            sources=self.chain,
        )

        # structure and sums
        for l1 in level1s:
            where = f"一级指标「{l1.name}」({l1.key})"
            if not l1.children:
                self.fail("没有二级指标（no level2 with this parent）", where)
            s = sum((c.points for c in l1.children), Fraction(0))
            if s != l1.points:
                detail = " + ".join(f"{c.name} {format_number(c.points)}" for c in l1.children)
                self.fail(f"二级指标分值合计 {format_number(s)} 不等于一级指标分值 {format_number(l1.points)}（children's points {detail} ≠ {format_number(l1.points)}）", where)
            for l2 in l1.children:
                where2 = f"二级指标「{l2.name}」({l2.key})"
                if not l2.indicators:
                    self.fail("没有三级指标（no indicator with this parent）", where2)
                s2 = sum((c.points for c in l2.indicators), Fraction(0))
                if s2 != l2.points:
                    detail = " + ".join(f"{c.name} {format_number(c.points)}" for c in l2.indicators)
                    self.fail(f"三级指标分值合计 {format_number(s2)} 不等于二级指标分值 {format_number(l2.points)}（children's points {detail} ≠ {format_number(l2.points)}）", where2)
        total = framework.total_points
        if total != 100:
            detail = " + ".join(f"{l1.name} {format_number(l1.points)}" for l1 in level1s)
            self.fail(f"一级指标分值合计为 {format_number(total)}，应为100（first-level points {detail} ≠ 100）", "[[level1]]")

        # workbook defined names: unique, and never a function name (Excel names are
        # case-insensitive: a name "score_x" would shadow the function SCORE_X)
        names = framework.names()
        udfs = import_udfs()
        functions = {n.upper() for n in dir(udfs) if n.isupper() and callable(getattr(udfs, n))}
        all_names: dict[str, str] = {subtotal_name(lv.key): f"{lv.name}（{lv.key}）的小计" for lv in [*level1s, *l2_by_key.values()]}
        # names the builder generates for every indicator: an input may not take one
        generated: dict[str, str] = {}
        for ind in framework.indicators:
            generated[score_name(ind.key)] = f"{ind.label()}的得分单元格（{SCORE_NAME_SUFFIX}）"
            generated[remedy_name(ind.key)] = f"{ind.label()}的“{REMEDY_LABEL}”输入格（{REMEDY_NAME_SUFFIX}）"
        for ind in framework.indicators:
            for inp in ind.inputs:
                for name in inp.names():
                    if name in generated:
                        self.fail(
                            f"输入项名称 {name} 与模板自动生成的名称冲突：{name} 是{generated[name]}，请换一个 key"
                            f"（input name '{name}' collides with a name the template generates）",
                            f"{ind.label()} 输入项 {inp.key}",
                            ind.origin,
                        )
        for ind in framework.indicators:
            for name in [*(n for inp in ind.inputs for n in inp.names()), score_name(ind.key), remedy_name(ind.key)]:
                if name.upper() in functions:
                    self.fail(f"名称 {name} 与函数 {name.upper()} 同名，Excel 名称不区分大小写，请换一个 key（name clashes with a function）", ind.label(), ind.origin)
                if name in all_names and all_names[name] != ind.key:
                    self.fail(f"名称 {name} 重复（duplicate name; 也用于指标 {all_names[name]}）", ind.label(), ind.origin)
                all_names[name] = ind.key

        # formulas
        for ind in framework.indicators:
            self.check_formulas(framework, ind, names, udfs)
        return framework

    def build_input(self, e: Any, ind_key: str, ind_where: str, origin: Optional[str], seen: dict[str, str]) -> Input:
        if not isinstance(e, dict):
            self.fail("[[indicator.input]] 应为表（table）", ind_where, origin)
        where = f"{ind_where} 输入项 {e.get('key', '?')}"
        self.unknown(e, _INPUT_FIELDS - {"remove"}, where, origin)
        self.require(e, ("key", "label", "kind", "help"), where, origin)
        self.key(e["key"], where, origin, "输入项 key")
        kind = e["kind"]
        if kind not in INPUT_KINDS:
            self.fail(f"kind = \"{kind}\" 无效（invalid input kind；可用：{' | '.join(INPUT_KINDS)}）", where, origin)
        inp = Input(
            key=e["key"],
            label=str(e["label"]).strip(),
            kind=kind,
            help=_clean_text(str(e["help"])),
            unit=str(e.get("unit", DEFAULT_UNITS[kind])),
            default=e.get("default"),
            indicator=ind_key,
            required=self.switch(e, "required", True, where, origin),
            not_applicable=self.switch(e, "not_applicable", False, where, origin),
        )
        if inp.not_applicable and kind not in ("amount", "count"):
            self.fail("not_applicable（可填“不涉及”）只用于金额或数量输入（amount/count）", where, origin)
        for bound in ("min", "max"):
            if bound in e:
                if kind not in ("amount", "count", "number", "rate"):
                    self.fail(f"{bound} 只适用于数值类输入（amount/count/number/rate）", where, origin)
                try:
                    setattr(inp, bound, float(to_fraction(e[bound])))
                except TypeError:
                    self.fail(f"{bound} 应为数字", where, origin)
        if "points" in e:
            if kind != "flag" or "items" in e:
                self.fail("points 只用于单个是/否评分项（kind = \"flag\" 且无 items）；多项请在 items 中逐项给出", where, origin)
            inp.points = self.points(e["points"], where, origin)
        if "items" in e:
            if kind in ("table", "status"):
                self.fail(f"kind = \"{kind}\" 不能带 items", where, origin)
            items = e["items"]
            if not isinstance(items, list) or not items:
                self.fail("items 应为非空列表（list of {label, points}）", where, origin)
            for j, it in enumerate(items):
                iw = f"{where} 第{j + 1}项"
                if not isinstance(it, dict):
                    self.fail("items 的每一项应为 {label = \"…\", points = …}", iw, origin)
                self.unknown(it, _ITEM_FIELDS, iw, origin)
                self.require(it, ("label",), iw, origin)
                pts = None
                if "points" in it:
                    if kind != "flag":
                        self.fail("只有是/否评分项（flag）的 items 可以有 points", iw, origin)
                    pts = self.points(it["points"], iw, origin)
                inp.items.append(Item(str(it["label"]).strip(), pts, _clean_text(str(it.get("help", "")))))
        if kind == "table":
            rows = e.get("rows")
            if not isinstance(rows, int) or isinstance(rows, bool) or rows < 1:
                self.fail("table 输入需要 rows（正整数，行数）", where, origin)
            inp.rows = rows
            cols = e.get("column") or []
            if not cols:
                self.fail("table 输入需要 [[indicator.input.column]] 列定义", where, origin)
            col_keys: set[str] = set()
            for c in cols:
                cw = f"{where} 列 {c.get('key', '?')}"
                self.unknown(c, _COLUMN_FIELDS, cw, origin)
                self.require(c, ("key", "label", "kind"), cw, origin)
                self.key(c["key"], cw, origin, "列 key")
                if c["key"] in col_keys:
                    self.fail(f"列 key 重复（duplicate column key '{c['key']}'）", cw, origin)
                col_keys.add(c["key"])
                if c["kind"] not in COLUMN_KINDS:
                    self.fail(f"列 kind = \"{c['kind']}\" 无效（可用：{' | '.join(COLUMN_KINDS)}）", cw, origin)
                col = Column(
                    key=c["key"],
                    label=str(c["label"]),
                    kind=c["kind"],
                    name=f"{inp.key}_{c['key']}",
                    unit=str(c.get("unit", "")),
                    help=_clean_text(str(c.get("help", ""))),
                    default=c.get("default"),
                    required=self.switch(c, "required", True, cw, origin),
                )
                for bound in ("min", "max"):
                    if bound in c:
                        try:
                            setattr(col, bound, float(to_fraction(c[bound])))
                        except TypeError:
                            self.fail(f"{bound} 应为数字", cw, origin)
                if col.kind == "direction" and col.default is not None and col.default not in DIRECTION_WORDS:
                    self.fail(f"default = {col.default!r} 应为 ≥ 或 ≤", cw, origin)
                inp.columns.append(col)
        elif "rows" in e or "column" in e:
            self.fail("rows / column 只用于 kind = \"table\"", where, origin)
        if kind == "flag" and inp.default is not None and inp.default not in FLAG_WORDS:
            self.fail(f"default = {inp.default!r} 应为“是”或“否”", where, origin)
        if kind == "status" and inp.default is not None and inp.default not in STATUS_WORDS:
            self.fail(f"default = {inp.default!r} 应为 {'/'.join(STATUS_WORDS)} 之一", where, origin)
        for name in inp.names():
            if name in RESERVED_NAMES:
                self.fail(f"名称 {name} 是保留名称（reserved name），请换一个 key", where, origin)
            if name in seen:
                self.fail(f"输入项名称 {name} 重复（duplicate input key; 已用于 {seen[name]}）", where, origin)
            seen[name] = ind_where
        return inp

    def check_formulas(self, fw: Framework, ind: Indicator, names: dict, udfs: Any):
        where, origin = ind.label(), ind.origin
        try:
            ind.call = parse_call(ind.score)
        except ValueError as exc:
            self.fail(f"score 公式无法解析（cannot parse score formula）：{exc}：{ind.score}", where, origin)
        if ind.note:
            try:
                ind.note_call = parse_call(ind.note)
            except ValueError as exc:
                self.fail(f"note 公式无法解析：{exc}：{ind.note}", where, origin)
            if ind.note_call.function != ind.call.function + "_NOTE" or [a.text.strip() for a in ind.note_call.args] != [
                a.text.strip() for a in ind.call.args
            ]:
                self.fail(
                    f"note 应为 {ind.call.function}_NOTE 且参数与 score 相同（note must be the score call with _NOTE）：{ind.note}",
                    where,
                    origin,
                )
        else:
            ind.note_call = Call(ind.call.function + "_NOTE", ind.call.args)
        for fn in (ind.call.function, ind.note_call.function):
            if udfs is not None and not callable(getattr(udfs, fn, None)):
                self.fail(f"函数 {fn} 不在函数目录（udfs）中（unknown function '{fn}'）", where, origin)
        own = {inp.key: inp for inp in ind.inputs}
        used: set[str] = set()
        for arg in ind.call.args:
            if arg.kind == "ref":
                if arg.name not in names:
                    self.fail(f"公式引用的 {{{arg.name}}} 不是已声明的输入项（unknown input key '{arg.name}'）", where, origin)
                inp, _col = names[arg.name]
                if inp.key not in own:
                    self.fail(f"公式引用的 {{{arg.name}}} 属于其他指标的输入（input of indicator '{inp.indicator}'）", where, origin)
                used.add(arg.name)
            elif arg.kind == "points_of":
                inp = own.get(arg.name)
                if inp is None:
                    self.fail(f"{{{arg.name}:points}} 不是本指标已声明的输入项（unknown input key '{arg.name}'）", where, origin)
                if not (inp.kind == "flag" and inp.items):
                    self.fail(f"{{{arg.name}:points}} 只能用于带 items 的是/否评分项（flag with items）", where, origin)
        for inp in ind.inputs:
            if inp.kind == "table":
                scored = [c for c in inp.columns if c.kind != "text"]
                missing = [c.name for c in scored if c.name not in used]
                if missing:
                    self.fail(f"表格输入 {inp.key} 的列 {', '.join(missing)} 未被 score 公式使用（declared but not used）", where, origin)
            elif inp.key not in used:
                self.fail(f"输入项 {inp.key} 未被 score 公式使用（declared but not used）", where, origin)
        accepting = NOT_APPLICABLE_PARAMS.get(ind.call.function, ())
        entry = udfs.catalogue.entry_named(ind.call.function) if udfs is not None else None
        for i, arg in enumerate(ind.call.args):
            if arg.kind == "ref" and names[arg.name][0].not_applicable:
                param = entry.params[i].name if entry is not None and i < len(entry.params) else None
                if param not in accepting:
                    self.fail(
                        f"输入项 {arg.name} 标为可填“不涉及”（not_applicable），但 {ind.call.function} 的这个参数不接受“不涉及”"
                        f"（accepted only by: {', '.join(f'{f}({chr(44).join(p)})' for f, p in NOT_APPLICABLE_PARAMS.items())}）",
                        where, origin,
                    )
        if ind.call.function == "SCORE_CHECKLIST":
            lists = [own[a.name] for a in ind.call.args if a.kind == "points_of"]
            for inp in lists:
                s = sum(inp.item_points(), Fraction(0))
                if s != ind.points:
                    self.fail(f"评分项分值合计 {format_number(s)} 不等于指标分值 {format_number(ind.points)}（items' points of {inp.key}）", where, origin)


def _clean_text(text: str) -> str:
    """Trim each line and drop blank leading/trailing lines (keeps the line structure)."""
    lines = [ln.strip() for ln in text.strip("\n").split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)
