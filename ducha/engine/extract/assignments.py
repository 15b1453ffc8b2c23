"""任务分工: who leads each task, who supports it, and by when (plain Python, no Django).

Plans state the division of work in three ways, all read here:

* **a table** (a .docx table, whose rows the reader writes as tab-separated cells; a text or
  PDF table whose cells are separated by runs of spaces): a header row names the columns
  (序号, 重点任务, 牵头单位, 配合单位, 完成时限 …) and each row below is a task. Rows with a
  merged category cell at the left have fewer cells and are aligned from the right. In a
  fixed-width text table, a cell that wraps over several lines is joined again: rows are the
  groups between blank lines, or start at a serial number, and each piece goes to the column
  it stands under. (A PDF's text layer loses the cell boundaries; see docs/extraction.md);
* **labelled fields** after a task, on its line or the next (an appendix list):
  ``（一）… 牵头单位：市发展改革委；配合单位：…；完成时限：2019年底``;
* **a parenthesis closing a task**: ``（牵头单位：市发展改革委，配合单位：市委组织部，各区）``,
  ``（市人口计生委、市公安局牵头）``, ``（市工信局牵头，各区政府按职责分工负责）``, or a bare list
  of units ``（市发展改革委、市财政局，年内持续推进）``, where the first unit listed leads (the
  convention of the 国务院 分工 documents, 列第一位者为牵头单位) and the rest support.

A unit named in a 牵头 role leads, whatever its position; every unit of ``A、B牵头`` leads.
The deadline is read from 完成时限 (or a deadline phrase in the parenthesis): 2019年底 →
2019-12-31, 2020年6月底前 → 2020-06-30, 年内 → the end of the document's year; 长期坚持 and
持续推进 have no date and keep their words.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from ducha.engine.extract.structure import Document, Node
from ducha.engine.unitmatch import split_unit_names

__all__ = [
    "Assignment",
    "find_assignments",
    "is_division_header",
    "parse_deadline",
    "parse_fields",
]


@dataclass
class Assignment:
    task: str  # the task as written (its title, or the sentence before the parenthesis)
    lead: list[str]  # unit names as written, in order
    support: list[str] = field(default_factory=list)
    deadline: str | None = None  # ISO date
    deadline_text: str = ""  # as written (年内持续推进, 2019年底前, 长期坚持)
    node_key: str | None = None  # the part of the plan the task belongs to
    source: str = "inline"  # inline | fields | table
    row: str = ""  # the text the assignment was read from

    def to_dict(self) -> dict[str, object]:
        return {
            "task": self.task,
            "lead": list(self.lead),
            "support": list(self.support),
            "deadline": self.deadline,
            "deadline_text": self.deadline_text,
            "node": self.node_key,
            "source": self.source,
        }


def find_assignments(document: Document) -> list[Assignment]:
    """Every 分工 row of the document: the table rows first, then the rows written in the text
    of its parts, each in document order."""
    year = document.period_end or (int(document.issued_on[:4]) if document.issued_on else None)
    found: list[Assignment] = []
    table_rows: set[str] = set()
    for assignment in _table_assignments(document.source_text, year):
        table_rows.add(assignment.row)
        found.append(assignment)
    if found:
        _place_table_rows(document, found)
    for node in document.iter_nodes():
        for assignment in _node_assignments(node, year):
            if assignment.row not in table_rows:
                found.append(assignment)
    return found


# --- fields: 牵头单位：…；配合单位：…；完成时限：… ------------------------------------------------

_LEAD_LABEL = r"牵头单位|牵头部门|牵头责任单位|主责单位|牵头|责任单位|责任部门|负责单位|承办单位"
_SUPPORT_LABEL = r"配合单位|配合部门|参与单位|协办单位|协同单位|协助单位|配合"
_DEADLINE_LABEL = r"完成时限|完成时间|时间节点|时限要求|时限|完成期限"
_LABEL = re.compile(rf"(?P<label>{_DEADLINE_LABEL}|{_SUPPORT_LABEL}|{_LEAD_LABEL})\s*[:：]\s*")
_SHARED_LABELS = ("责任单位", "责任部门")  # the first unit leads, unless a 牵头 label came first
_ROLE_SUFFIX_LEAD = re.compile(r"(?:共同)?牵头(?:负责|抓总|落实)?$")
_ROLE_SUFFIX_SUPPORT = re.compile(
    r"(?:配合|参与|协助|协同|按职责分工负责|按职责负责|按职责分工落实|分工负责|分别负责|负责落实)$"
)
_DEADLINE_WORDS = re.compile(
    r"(?:(?:19|20)\d{2}\s*年|年内|年底|年末|长期|持续|每年|季度|月底|上半年|下半年|逐年|常态化)"
)


def parse_fields(text: str, year: int | None = None) -> Assignment | None:
    """The roles in a labelled or parenthesised 分工 text, or None when it names no unit."""
    text = unicodedata.normalize("NFKC", text).strip()
    lead: list[str] = []
    support: list[str] = []
    deadline_text = ""
    labelled = list(_LABEL.finditer(text))
    if labelled:
        for index, match in enumerate(labelled):
            end = labelled[index + 1].start() if index + 1 < len(labelled) else len(text)
            value = text[match.end() : end].strip(" ;；，,。")
            label = match.group("label")
            if re.fullmatch(_DEADLINE_LABEL, label):
                deadline_text = value
            elif re.fullmatch(_SUPPORT_LABEL, label) or (label in _SHARED_LABELS and lead):
                support += _names(value)
            elif label in ("责任单位", "责任部门"):
                names = _names(value)
                lead, support = names[:1], support + names[1:]
            else:
                lead += _names(value)
    else:
        segments = [s.strip() for s in re.split(r"[;；，,]", text) if s.strip()]
        unroled: list[str] = []
        for segment in segments:
            if not lead and not support and not unroled and _is_deadline(segment):
                deadline_text = segment
                continue
            if _ROLE_SUFFIX_LEAD.search(segment):
                lead += _names(_ROLE_SUFFIX_LEAD.sub("", segment))
            elif _ROLE_SUFFIX_SUPPORT.search(segment):
                names = _names(_ROLE_SUFFIX_SUPPORT.sub("", segment))
                if not lead and not unroled and "分别负责" in segment:
                    lead += names
                else:
                    support += names
            elif _is_deadline(segment):
                deadline_text = segment
            else:
                names = _names(segment)
                if not names or not all(_looks_like_unit(n) for n in names):
                    return None
                unroled += names
        if unroled and not lead:
            lead, unroled = unroled[:1], unroled[1:]
        support = unroled + support
    if not lead and not support:
        return None
    if not all(_looks_like_unit(n) for n in lead + support):
        return None
    return Assignment(
        task="",
        lead=lead,
        support=support,
        deadline=parse_deadline(deadline_text, year),
        deadline_text=deadline_text,
        row=text,
    )


def _names(value: str) -> list[str]:
    return [n for n in split_unit_names(value) if n not in ("无", "—", "-", "/")]


_UNIT_END = re.compile(
    r"(?:局|委|办|部|厅|院|区|府|会|中心|单位|部门|公司|集团|银行|署|室|所|站|社|联|队|馆|校|"
    r"学|团|处|科|行|市|县|镇|街道|街镇|园|港|城|台|协)(?:[(（][^()（）]*[)）])?$"
)


def _looks_like_unit(name: str) -> bool:
    return 2 <= len(name) <= 40 and bool(_UNIT_END.search(name)) and not re.search(r"\d{3}", name)


def _is_deadline(segment: str) -> bool:
    return bool(_DEADLINE_WORDS.search(segment)) and len(segment) <= 24


_DATE = re.compile(
    r"(?P<y1>(?:19|20)\d{2})\s*年?\s*(?:[-—–~至到]\s*(?P<y2>(?:19|20)\d{2})\s*年)?"
    r"(?:\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?)?"
    r"(?P<half>上半年|下半年)?(?P<q>[一二三四1-4])?"
)


def parse_deadline(text: str, year: int | None = None) -> str | None:
    """2019年底 → 2019-12-31; 2020年6月底前 → 2020-06-30; 2021年9月15日 → 2021-09-15;
    2019—2020年 → 2020-12-31; 年内 → the end of ``year``; 长期/持续 → None."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)
    match = _DATE.search(text)
    if match:
        y = int(match.group("y2") or match.group("y1"))
        rest = text[match.end() - len(match.group("q") or "") :]
        if match.group("m"):
            m = int(match.group("m"))
            if not 1 <= m <= 12:
                return None
            last = calendar.monthrange(y, m)[1]
            d = int(match.group("d")) if match.group("d") else last
            return f"{y:04d}-{m:02d}-{min(max(d, 1), last):02d}"
        if match.group("half") == "上半年":
            return f"{y:04d}-06-30"
        quarter = re.match(r"([一二三四1-4])季度", rest)
        if quarter:
            q = "一二三四".find(quarter.group(1)) + 1 or int(quarter.group(1))
            m = q * 3
            return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"
        return f"{y:04d}-12-31"
    if year and re.search(r"年内|年底|年末|今年", text):
        return f"{year:04d}-12-31"
    return None


# --- rows in the text of a node -----------------------------------------------------------------

_ROLE_HINT = re.compile(rf"{_LEAD_LABEL}|{_SUPPORT_LABEL}|{_DEADLINE_LABEL}|负责|按职责")


def _node_assignments(node: Node, year: int | None) -> Iterator[Assignment]:
    text = node.text
    rows = _rows_in(text, year)
    single = len(rows) == 1
    for start, end, assignment, source in rows:
        assignment.task = node.title if single and node.title else _sentence_before(text, start)
        assignment.task = assignment.task or node.title
        assignment.node_key = node.key
        assignment.source = source
        assignment.row = text[start:end]
        yield assignment


def _rows_in(text: str, year: int | None) -> list[tuple[int, int, Assignment, str]]:
    """(start, end, assignment, source) of every 分工 in a node's text, in order."""
    rows: list[tuple[int, int, Assignment, str]] = []
    consumed_until = 0
    for start, end, inner in _parentheses(text):
        if start < consumed_until or not _closes_task(text, start, inner):
            continue
        assignment = parse_fields(inner, year)
        if assignment is not None:
            rows.append((start, end, assignment, "inline"))
            consumed_until = end
    fields_until = 0
    for match in re.finditer(rf"(?:{_LEAD_LABEL}|{_SUPPORT_LABEL})\s*[:：]", text):
        if match.start() < fields_until or _inside_parenthesis(text, match.start()):
            continue
        line_end = text.find("\n", match.start())
        line_end = len(text) if line_end < 0 else line_end
        assignment = parse_fields(text[match.start() : line_end], year)
        if assignment is not None:
            rows.append((match.start(), line_end, assignment, "fields"))
            fields_until = line_end
    return sorted(rows, key=lambda row: row[0])


def _closes_task(text: str, start: int, inner: str) -> bool:
    """A parenthesis that states roles (牵头单位：…, …牵头) anywhere, or a bare list of units
    that stands after a sentence: 区（县级市） and 联络站（海外人才工作站） are parts of names."""
    if _ROLE_HINT.search(inner):
        return True
    before = text[:start].rstrip()
    return _unit_list(inner) and (not before or before[-1] in "。；;！？!?\n")


def _unit_list(inner: str) -> bool:
    names = _names(re.split(r"[;；，,]", inner)[0])
    return bool(names) and all(_looks_like_unit(n) for n in names)


def _parentheses(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, inner text) of each outermost bracketed part, nested brackets allowed."""
    depth = 0
    start = 0
    for index, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                start = index
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                yield start, index + 1, text[start + 1 : index]


def _inside_parenthesis(text: str, position: int) -> bool:
    return any(start < position < end for start, end, _ in _parentheses(text))


def _sentence_before(text: str, position: int) -> str:
    """The sentence just before a 分工 parenthesis: the task of a paragraph listing several."""
    head = text[:position].rstrip(" \n。;；，,")
    cut = max((m.end() for m in re.finditer(r"[。！？；;\n]|[）)]", head)), default=0)
    return head[cut:].strip()


# --- tables -------------------------------------------------------------------------------------

_CELL_SPLIT = re.compile(r"\t|\s{2,}|\u3000+")
_COLUMN_NAMES = {
    "serial": re.compile(r"^(?:序号|编号|序)$"),
    "task": re.compile(
        r"^(?:重点|主要|具体|工作)?(?:任务|工作)(?:内容|事项|名称|措施)?$|^(?:事项|举措|工作措施|"
        r"任务分工|重点工作|目标任务|工作要点|建设内容|项目名称|项目)$"
    ),
    "lead": re.compile(rf"^(?:{_LEAD_LABEL})$"),
    "support": re.compile(rf"^(?:{_SUPPORT_LABEL}|配合单位（部门）|其他责任单位)$"),
    "deadline": re.compile(rf"^(?:{_DEADLINE_LABEL}|进度安排|完成年限|完成时点)$"),
}


@dataclass
class _Header:
    columns: dict[str, int]  # role -> index among the header's cells
    width: int
    offsets: list[int]  # display column where each header cell starts (space-aligned tables)
    tabbed: bool
    cells: list[str]


_WRAPPED_SERIAL = re.compile(r"^(?:序号?|号)\s+(?=\S)")


def _table_assignments(text: str, year: int | None) -> Iterator[Assignment]:
    lines = tabulate_positional_tables(text.replace("\r\n", "\n").split("\n"))
    index = 0
    while index < len(lines):
        header = _header(lines[index])
        if header is None or not header.tabbed:
            index += 1
            continue
        index += 1
        while index < len(lines) and "\t" in lines[index]:
            cells = [c.strip() for c in lines[index].split("\t")]
            assignment = _row_assignment(cells, header, year, lines[index])
            if assignment:
                yield assignment
            index += 1


def tabulate_positional_tables(lines: list[str]) -> list[str]:
    """Lines with every 分工 table laid out by position (a fixed-width text whose columns start
    where their headers start, Chinese characters two columns wide as editors show them)
    turned into tab-separated rows, wrapped cells joined; other lines as they were."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        header = _header(lines[index])
        if header is None or header.tabbed:
            out.append(lines[index])
            index += 1
            continue
        block: list[str] = []
        index += 1
        while index < len(lines):
            line = lines[index]
            if not line.strip():
                block.append(line)
                index += 1
                continue
            indented = line[:1].isspace()
            if _header(line) is not None or not (_CELL_SPLIT.search(line.strip()) or indented):
                break  # the next table, or a line of prose or a heading
            block.append(line)
            index += 1
        while block and not block[-1].strip():
            block.pop()
            index -= 1
        out.append("\t".join(header.cells))
        out += ["\t".join(cells) for cells in _positional_rows(block, header)]
    return out


def _header(line: str) -> _Header | None:
    tabbed = "\t" in line
    cells = [c.strip() for c in (line.split("\t") if tabbed else _CELL_SPLIT.split(line.strip()))]
    if not tabbed and cells:
        cells[0] = _WRAPPED_SERIAL.sub("", cells[0])  # 序号 wrapped over two lines in a PDF
    if len(cells) < 2 or len(cells) > 12:
        return None
    columns: dict[str, int] = {}
    for position, cell in enumerate(cells):
        key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell))
        for role, pattern in _COLUMN_NAMES.items():
            if role not in columns and pattern.match(key):
                columns[role] = position
                break
    if "lead" not in columns or len(columns) < 2:
        return None
    return _Header(columns, len(cells), _offsets(line, cells), tabbed, cells)


def is_division_header(cells: list[str]) -> bool:
    """True when a table's first row names the columns of a 任务分工 (a lead column and more)."""
    return _header("\t".join(cells)) is not None


def _offsets(line: str, cells: list[str]) -> list[int]:
    offsets, cursor = [], 0
    for cell in cells:
        found = line.find(cell, cursor)
        offsets.append(_display_width(line[:found]) if found >= 0 else 0)
        cursor = found + len(cell) if found >= 0 else cursor
    return offsets


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _row_assignment(
    cells: list[str], header: _Header, year: int | None, raw: str
) -> Assignment | None:
    cells = [c for c in cells]
    if not any(cells):
        return None
    if len(cells) < header.width:
        # a merged category cell at the left: the right-hand columns still line up
        cells = [""] * (header.width - len(cells)) + cells
    elif len(cells) > header.width:
        cells = cells[: header.width]

    def cell(role: str) -> str:
        return cells[header.columns[role]].strip() if role in header.columns else ""

    lead_text = cell("lead")
    if not lead_text or _COLUMN_NAMES["lead"].match(lead_text):
        return None
    support_text = cell("support")
    fields = parse_fields(
        f"牵头单位：{lead_text}" + (f"；配合单位：{support_text}" if support_text else ""), year
    )
    if fields is None:
        return None
    task = cell("task")
    if not task:
        others = [c for i, c in enumerate(cells) if i not in header.columns.values() and len(c) > 2]
        task = max(others, key=len) if others else ""
    deadline_text = cell("deadline")
    fields.task = task
    fields.deadline_text = deadline_text
    fields.deadline = parse_deadline(deadline_text, year)
    fields.source = "table"
    fields.row = raw
    return fields


def _positional_rows(block: list[str], header: _Header) -> list[list[str]]:
    """Rows of a table laid out by position, with cells that wrap over lines joined again.

    Rows are the groups of lines between blank lines (a PDF's layout text leaves one between
    rows); without blank lines, each line that starts with a serial number starts a row (lines
    before the first one, in a table whose cells are centred vertically, go to the nearest row);
    failing both, each line is a row. Each piece of text goes to the column it stands under.
    """
    pieces: list[list[tuple[int, str]]] = []
    for line in block:
        chunks = []
        for match in re.finditer(r"\S+(?:\s(?!\s)\S+)*", line):
            start, starts = _display_width(line[: match.start()]), header.offsets
            if (
                "serial" not in header.columns
                and start + 1 < starts[0]
                and re.fullmatch(r"\d{1,3}", match.group())
            ):
                continue  # the serial number of a table whose 序号 header was lost
            chunks.append((_column_at(start, starts), match.group()))
        pieces.append(chunks)
    groups: list[list[int]] = []
    if any(not chunks for chunks in pieces):
        current: list[int] = []
        for i, chunks in enumerate(pieces):
            if chunks:
                current.append(i)
            elif current:
                groups.append(current)
                current = []
        if current:
            groups.append(current)
    else:
        anchors = [i for i, chunks in enumerate(pieces) if chunks and _SERIAL.match(chunks[0][1])]
        if anchors:
            owner: dict[int, list[int]] = {a: [] for a in anchors}
            centred = anchors[0] > 0
            for i in range(len(pieces)):
                if centred:
                    nearest = min(anchors, key=lambda a: (abs(a - i), a < i))
                else:
                    nearest = max((a for a in anchors if a <= i), default=anchors[0])
                owner[nearest].append(i)
            groups = [owner[a] for a in anchors]
        else:
            groups = [[i] for i in range(len(pieces))]
    rows = []
    for group in groups:
        columns = [""] * header.width
        for i in group:
            for col, text in pieces[i]:
                columns[col] += text
        rows.append([c.strip() for c in columns])
    return rows


_SERIAL = re.compile(r"^\d{1,3}[.、]?(?:\s+|$)")


def _column_at(start: int, offsets: list[int]) -> int:
    """The column a piece starting at display position ``start`` stands under."""
    best = 0
    for index, offset in enumerate(offsets):
        if start + 2 >= offset:
            best = index
    return best


def _place_table_rows(document: Document, assignments: list[Assignment]) -> None:
    """The node a table row sits in (the reader puts table rows in the text as lines)."""
    nodes = list(document.iter_nodes())
    for assignment in assignments:
        first = assignment.row.split("\n", 1)[0].strip()
        for node in nodes:
            if first and first in node.text:
                assignment.node_key = node.key
                break
