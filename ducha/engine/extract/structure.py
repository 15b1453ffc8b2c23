"""The heading hierarchy and front matter of a Chinese policy document.

Chinese plans number their parts in a fixed order of styles: 第一篇 / 第一章 / 第一节 / 一、 /
（一） / 1. / （1） / ① and ——/● bullets. A heading of a given style closes every open part of
the same or a finer style, so a document that skips a level still nests correctly. Bullets are
always the children of the nearest numbered heading.

Paragraphs without a label are the text of the part they follow, with one exception taken from
how 发展目标 sections are written: a bullet that opens with a deadline (——到2020年，…) or ends
with a colon introduces the paragraphs after it, which become its children (keys 1.3.1.1 …)
until the next bullet or heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ducha.engine.extract import tables, years
from ducha.engine.numbers import to_halfwidth

__all__ = ["BOX_CLOSE", "BOX_OPEN", "Document", "Node", "parse_structure"]

# A reader that knows where a 专栏 box starts and ends (a one-cell Word table, a text box, a
# framed run of paragraphs) writes these on lines of their own around the box's lines.
BOX_OPEN = "\ue000"
BOX_CLOSE = "\ue001"


@dataclass
class Node:
    key: str  # dotted position: "1", "1.3", "1.3.1" …
    label: str  # the numbering as written: 一、 / （一） / 1. / —— / "" for a plain paragraph
    title: str  # the heading sentence without its final punctuation ("" when there is none)
    text: str  # the node's own text, without its children's; lines joined by "\n"
    children: list[Node] = field(default_factory=list)
    style: str = ""  # "chapter", "cn", "cn_paren", "num", "num_paren", "circled", "bullet", "para"
    context_year: int | None = None  # a deadline stated by the node's heading or opening bullet,
    # which governs the node's text and its children (see targets.py)
    rank: float | None = None  # a 专栏 box's place among the heading styles (see _open_box)


@dataclass
class Document:
    title: str
    preamble: str
    nodes: list[Node]
    issuer: str | None = None
    issued_on: str | None = None  # ISO date
    period_start: int | None = None
    period_end: int | None = None
    outlook_year: int | None = None
    source_text: str = ""

    def iter_nodes(self) -> Iterator[Node]:
        """Every node, depth first, in document order."""
        stack = list(reversed(self.nodes))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def node(self, key: str) -> Node | None:
        return next((n for n in self.iter_nodes() if n.key == key), None)


# --- heading styles, coarsest first -------------------------------------------------------------

_CN_NUM = "一二三四五六七八九十百零〇"
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"第[{_CN_NUM}\d]+篇\s*")),
    ("chapter", re.compile(rf"第[{_CN_NUM}\d]+章\s*")),
    ("section", re.compile(rf"第[{_CN_NUM}\d]+节\s*")),
    # 一、2019年工作回顾 is a heading; 一.5 and 一、二、三产业 are not.
    ("cn", re.compile(rf"[{_CN_NUM}]{{1,3}}\s*(?:、(?![{_CN_NUM}])|\.(?![{_CN_NUM}\d]))\s*")),
    ("cn_paren", re.compile(rf"\(\s*[{_CN_NUM}]{{1,3}}\s*\)\s*")),
    ("num", re.compile(r"\d{1,2}\s*(?:、|\.(?![\d%]))\s*")),
    ("num_paren", re.compile(r"(?:\(\s*\d{1,2}\s*\)|\d{1,2}\))\s*")),
    ("circled", re.compile(r"[①-⑳]\s*")),
    ("bullet", re.compile(r"(?:—{1,2}|-{2}|[●•◆◇▲■□★☆➢])\s*")),
]
_RANK = {name: rank for rank, (name, _) in enumerate(_STYLES)}

# The heading sentence: short, no comma inside, closed by 。 or ： (or the end of the line).
_HEADING_SENTENCE = re.compile(r"([^,;。:：，；]{1,40}?)(?:[。:：]|$)")
_MAX_TITLE_LINE = 60
_AMOUNT_HINT = re.compile(r"\d|百分之|[一二两三四五六七八九十百千万]+[家个项名人种亿万]")

_WORK_REPORT = re.compile(r"^(?:[\u4e00-\u9fff]{0,12})政府工作报告$")
_ISSUER_LINE = re.compile(
    r"^(?:中共)?[\u4e00-\u9fff]{0,20}(?:人民政府|国务院|办公厅|办公室|委员会|政府|党委|厅|局)$"
)
_ISSUER_IN_TITLE = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{1,20}?(?:人民政府办公厅|人民政府|国务院办公厅|国务院|办公厅|委员会))"
    r"(?:[\u4e00-\u9fff]{0,12}?)关于"
)
_FRONT_NOISE = re.compile(
    r"^(?:附件\s*\d*\s*[:：]?|[\u4e00-\u9fff]{1,8}[〔\[(（]\s*\d{4}\s*[〕\])）]\s*\d+\s*号"
    r"|(?:19|20)\d{2}\s*[年/.-]\s*\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?)$"
)
_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年|/|-|\.)\s*(\d{1,2})\s*(?:月|/|-|\.)\s*(\d{1,2})"
)


def parse_structure(text: str) -> Document:
    """Split a policy document into its title, front matter and tree of numbered parts."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    lines = [line.strip() for line in text.split("\n")]
    if BOX_OPEN in text or BOX_CLOSE in text:
        text = "\n".join(line for line in text.split("\n") if line.strip() not in _MARKERS)
    if "属性" in text:
        lines = tables.join_cell_lines(lines)  # a 主要指标 table copied one cell per line
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return Document(title="", preamble="", nodes=[], source_text=text)

    while first < len(lines) and (
        not lines[first] or lines[first] in _MARKERS or _FRONT_NOISE.match(lines[first])
    ):
        first += 1  # 附件2, 津政发〔2018〕3号 and the like stand before the real title
    if first == len(lines):
        first = next(i for i, line in enumerate(lines) if line)
    title = ""
    body_start = first
    if _classify(lines[first]) is None and len(lines[first]) <= _MAX_TITLE_LINE:
        title = lines[first]
        body_start = first + 1

    preamble_lines: list[str] = []
    roots = _build_tree(lines[body_start:], preamble_lines)
    if not roots and preamble_lines:
        # A document without any heading: each paragraph becomes a top-level part, so that its
        # targets still have a node to belong to.
        roots = [Node(key="", label="", title="", text=p, style="para") for p in preamble_lines]
        preamble_lines = []
    elif preamble_lines:
        # A page that starts inside a document (a section of a work report before its next
        # numbered heading) has body text before the first heading: paragraphs that set
        # figures are parts of the plan, not front matter.
        cut = next((i for i, p in enumerate(preamble_lines) if _is_body_paragraph(p)), None)
        if cut is not None:
            body = [
                Node(key="", label="", title="", text=p, style="para") for p in preamble_lines[cut:]
            ]
            roots = body + roots
            preamble_lines = preamble_lines[:cut]
    _assign_keys(roots, "")
    document = Document(
        title=title,
        preamble="\n".join(preamble_lines),
        nodes=roots,
        source_text=text,
    )
    _fill_front_matter(document, lines)
    _assign_context_years(document.nodes, None, document.period_start)
    return document


_BODY_FIGURE = re.compile(
    r"(?:达到|突破|超过|新增|建成|培育|力争|争取|增长|提高)[^。;；，,]{0,24}?\d"
    r"|\d+(?:\.\d+)?[^\d。;；，,]{0,4}?(?:以上|左右)"
)
_NOTICE = re.compile(r"印发给你们|现印发|请认真|贯彻执行|组织实施|制定本")


def _is_body_paragraph(line: str) -> bool:
    """A long paragraph that sets figures (力争…4个以上, 营收超460亿元), not a notice."""
    probe = to_halfwidth(line)
    return len(line) >= 60 and not _NOTICE.search(line) and len(_BODY_FIGURE.findall(probe)) >= 2


def looks_like_heading(line: str) -> bool:
    """True when the line opens with a heading label (一、 （一） 1. —— …)."""
    return _classify(line.strip()) is not None


def _classify(line: str) -> tuple[str, str, str] | None:
    """(style, label as written, rest of the line) when the line opens with a heading label."""
    probe = to_halfwidth(line[:16])  # labels are short; translating the whole line is waste
    for style, pattern in _STYLES:
        match = pattern.match(probe)
        if match and match.end() < len(line):
            label = line[: match.end()].rstrip()
            return style, label, line[match.end() :]
    return None


def _next_in_list(line: str, last_number: int) -> tuple[str, str, str] | None:
    """``11.121人才梯队项目`` after heading 10.: the next item of the list, not a decimal 11.121."""
    match = re.match(r"(\d{1,2})\.(?=\d+[\u4e00-\u9fff])", to_halfwidth(line[:8]))
    if match and last_number and int(match.group(1)) == last_number + 1:
        return "num", line[: match.end()], line[match.end() :]
    return None


def _split_heading(rest: str) -> tuple[str, str]:
    """(title, remaining text) for the part of a heading line after its label."""
    probe = to_halfwidth(rest[:48])
    match = _HEADING_SENTENCE.match(probe)
    if not match:
        return "", rest
    title = rest[: match.end(1)].strip()
    remainder = rest[match.end() :].strip()
    if remainder and len(title) > 30:
        return "", rest  # a long opening sentence is body text, not a heading
    if _AMOUNT_HINT.search(title) and remainder:
        # Keep a heading that states a target inside the text so the target has a span there.
        return title, rest
    if not remainder and _AMOUNT_HINT.search(title):
        return title, rest
    return title, remainder


def _opens_list(node: Node) -> bool:
    """A bullet that opens with a deadline or ends with a colon governs the paragraphs after it."""
    head = node.title or node.text.split("\n", 1)[0]
    return years.opening_deadline(head) is not None or node.text.rstrip().endswith(("：", ":"))


def _build_tree(lines: list[str], preamble: list[str]) -> list[Node]:
    roots: list[Node] = []
    stack: list[Node] = []  # open numbered headings, coarsest first; bullets sit on top
    last_number = 0  # the number of the last "1." style heading, to continue the list
    in_box: Node | None = None  # the 专栏 box being read
    for line in lines:
        if not line:
            continue
        if line == BOX_OPEN:
            in_box = _open_box("", "", stack, roots, explicit=True)
            continue
        if line == BOX_CLOSE:
            _close_box(stack)
            in_box = None
            continue
        box = _BOX_HEADING.match(to_halfwidth(line[:12]))
        if box and len(line) <= _MAX_TITLE_LINE:
            label, title = line[: box.end()].strip(), line[box.end() :].strip(" :：")
            if in_box is not None and not in_box.title and not in_box.children and not in_box.text:
                in_box.label, in_box.title = label, title  # the box's own heading line
            else:
                in_box = _open_box(label, title, stack, roots, explicit=False)
            continue
        classified = _classify(line) or _next_in_list(line, last_number)
        if classified is None:
            _add_paragraph(line, stack, preamble)
            continue
        style, label, rest = classified
        if style == "num":
            last_number = int(re.match(r"\d+", to_halfwidth(label)).group())
        title, body = _split_heading(rest)
        node = Node(key="", label=label, title=title, text=body, style=style)
        _place(node, stack, roots)
    return roots


def _add_paragraph(line: str, stack: list[Node], preamble: list[str]) -> None:
    if not stack:
        preamble.append(line)
        return
    top = stack[-1]
    owner = top
    if top.style == "para":
        stack.pop()
        owner = stack[-1]
    if owner.style == "bullet" and _opens_list(owner):
        title, _ = _split_heading(line)
        if len(title) >= len(line.rstrip("。:：")) or len(title) > 30:
            title = ""
        child = Node(key="", label="", title=title, text=line, style="para")
        owner.children.append(child)
        stack.append(child)
        return
    owner.text = f"{owner.text}\n{line}" if owner.text else line


def _place(node: Node, stack: list[Node], roots: list[Node]) -> None:
    if node.style == "bullet":
        while stack and stack[-1].style in ("bullet", "para"):
            stack.pop()
    else:
        rank = _RANK[node.style]
        while stack and (stack[-1].style in ("bullet", "para") or _rank(stack[-1]) >= rank):
            stack.pop()
    (stack[-1].children if stack else roots).append(node)
    stack.append(node)


def _rank(node: Node) -> float:
    return node.rank if node.rank is not None else _RANK[node.style]


_BOX_HEADING = re.compile(rf"专栏\s*(?:[{_CN_NUM}\d]+\s*[:：.、]?|[:：])\s*")
_MARKERS = frozenset((BOX_OPEN, BOX_CLOSE))


def _open_box(label: str, title: str, stack: list[Node], roots: list[Node], explicit: bool) -> Node:
    """A 专栏 box: a child of the part it stands in, holding its own lines and headings.

    A box the reader marked (explicit) ends at its closing mark and nothing inside closes it.
    A box known only from its 专栏 heading in plain text ends at the next heading of its
    part's own style or coarser (the next （四） after a box in （三）), or at the next box.
    """
    _close_box(stack)
    while stack and stack[-1].style in ("bullet", "para"):
        stack.pop()
    parent = stack[-1] if stack else None
    rank = -1.0 if explicit else (_rank(parent) + 0.5 if parent else 0.5)
    node = Node(key="", label=label, title=title, text="", style="box", rank=rank)
    (parent.children if parent else roots).append(node)
    stack.append(node)
    return node


def _close_box(stack: list[Node]) -> None:
    if not any(node.style == "box" for node in stack):
        return
    while stack:
        if stack.pop().style == "box":
            break


def _assign_keys(nodes: list[Node], prefix: str) -> None:
    for index, node in enumerate(nodes, start=1):
        node.key = f"{prefix}{index}"
        _assign_keys(node.children, node.key + ".")


def _assign_context_years(nodes: list[Node], inherited: int | None, now: int | None) -> None:
    """The deadline that governs each node's text before the text states one of its own.

    A deadline in a heading (（二）2025年目标) governs the part and everything under it. A deadline
    in a part's text governs only that text: 三、's 到2020年 does not reach （一）, （二）…, as the
    plans are written. The exceptions are a bullet that opens with a deadline and a text that ends
    with a colon (到2025年，主要目标是：), which introduce the paragraphs or bullets below them.
    """
    for node in nodes:
        own = _title_deadline(node.title, now) or inherited
        node.context_year = own
        for_children = own
        if node.style == "bullet":
            for_children = years.opening_deadline(node.title or node.text) or own
        if not node.children:
            continue
        last_deadline = _last_deadline(node.text, now)
        if node.text.rstrip().endswith(("：", ":")) and last_deadline:
            for_children = last_deadline
        elif "目标" in node.title and node.text and not for_children:
            # The parts of a goals section (（一）产业规模。…) are goals for the deadline its
            # text opens with, unlike the tasks under a section whose intro names a year.
            for_children = years.opening_deadline(node.text) or last_deadline
        for child in node.children:
            # Bullets elaborate the paragraph above them (到2025年，…。——A达到…); numbered
            # parts are tasks of their own.
            bullet_year = last_deadline if child.style == "bullet" else None
            _assign_context_years([child], for_children or bullet_year, now)


def _last_deadline(text: str, now: int | None) -> int | None:
    last_paragraph = text.rstrip().rsplit("\n", 1)[-1]
    deadlines = [m.year for m in years.find_year_marks(last_paragraph, now) if m.kind == "deadline"]
    return deadlines[-1] if deadlines else None


def _title_deadline(title: str, now: int | None) -> int | None:
    marks = [m for m in years.find_year_marks(title, now) if m.kind == "deadline"]
    return marks[0].year if marks else None


# --- front matter -------------------------------------------------------------------------------


def _fill_front_matter(document: Document, lines: list[str]) -> None:
    head = [line for line in lines if line][:8]
    tail = [line for line in lines if line][-6:]
    document.issuer = _find_issuer(document.title, head + tail)
    document.issued_on = _find_date(head + tail)
    searchable = "\n".join(
        [document.title, document.preamble]
        + [n.title + "\n" + n.text for n in _goal_nodes(document)]
    )
    period = years.stated_period(searchable) or years.stated_period(document.source_text[:20000])
    if period:
        document.period_start, document.period_end = period
    outlook = years.stated_outlook(searchable) or years.stated_outlook(document.source_text)
    if period is None:
        inferred = years.period_from_title(document.title)
        if inferred:
            document.period_start, document.period_end = inferred
    if document.period_end is None:
        reported = years.period_of_issued_plan(document.source_text)
        if reported:
            document.period_start, document.period_end = reported
    if document.period_end is None:
        annual = years.year_of_this_year_goals(document.title, document.source_text)
        if annual:
            document.period_start = document.period_end = annual
    if document.period_end is None and document.issued_on and _WORK_REPORT.search(document.title):
        # A 政府工作报告 is delivered early in the year it plans for (——2025年1月14日在…会议上):
        # its targets without a year of their own are for that year.
        document.period_start = document.period_end = int(document.issued_on[:4])
    if document.period_end is None:
        deadlines = years.goal_deadlines(searchable)
        if deadlines:
            document.period_end = deadlines[0]
            if len(deadlines) > 1 and outlook is None:
                outlook = max(deadlines[1:]) if max(deadlines[1:]) > deadlines[0] else None
    if outlook is not None and (document.period_end is None or outlook > document.period_end):
        document.outlook_year = outlook
    if document.period_start is None and document.period_end is not None and document.issued_on:
        start = int(document.issued_on[:4])
        document.period_start = start if start <= document.period_end else None


def _goal_nodes(document: Document) -> list[Node]:
    """Nodes whose title names the goals, and their parts: they state the deadlines."""
    found: dict[str, Node] = {}
    for node in document.iter_nodes():
        if "目标" in node.title and len(found) < 40:
            stack = [node]
            while stack:
                current = stack.pop()
                found.setdefault(current.key, current)
                stack.extend(current.children)
    return list(found.values())


def _find_issuer(title: str, lines: list[str]) -> str | None:
    match = _ISSUER_IN_TITLE.match(title)
    if match:
        return match.group(1)
    for line in lines:
        if 3 <= len(line) <= 30 and _ISSUER_LINE.match(line) and line != title:
            return line
    return None


def _find_date(lines: list[str]) -> str | None:
    for line in lines:
        match = _DATE.search(to_halfwidth(line))
        if match and (len(line) <= 60 or match.start() == 0):
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None
