"""Headings numbered by Word's automatic list numbering: the reader renders their labels."""

from decimal import Decimal

from ducha.engine.extract import extract_targets, parse_structure, read_document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# One multi-level list as Chinese plans number their parts: 一、 /（一）/ 1.
ABSTRACT = f"""
<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
"""
BULLETS = f"""
<w:abstractNum xmlns:w="{W}" w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>
</w:abstractNum>
"""


def _numbered_docx(path, paragraphs, restart_second_list=False):
    """paragraphs: (text, numId or None, ilvl)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = next(iter(numbering.iterchildren(f"{{{W}}}num")), None)
    # abstractNum elements must come before the num elements.
    for xml in (ABSTRACT, BULLETS):
        element = parse_xml(xml)
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
    override = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>'
        if restart_second_list
        else ""
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="71"><w:abstractNumId w:val="90"/></w:num>')
    )
    numbering.append(
        parse_xml(
            f'<w:num xmlns:w="{W}" w:numId="72"><w:abstractNumId w:val="90"/>{override}</w:num>'
        )
    )
    numbering.append(
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="73"><w:abstractNumId w:val="91"/></w:num>')
    )
    for text, num_id, ilvl in paragraphs:
        paragraph = document.add_paragraph(text)
        if num_id is not None:
            ppr = paragraph._p.get_or_add_pPr()
            ilvl_xml = f'<w:ilvl w:val="{ilvl}"/>'
            num_xml = f'<w:numId w:val="{num_id}"/>'
            ppr.append(parse_xml(f'<w:numPr xmlns:w="{W}">{ilvl_xml}{num_xml}</w:numPr>'))
    document.save(str(path))
    return path


PLAN = [
    ("某市数字经济三年行动计划", None, 0),
    ("总体要求", 71, 0),
    ("主要目标", 71, 1),
    ("到2025年，数字经济核心产业增加值达到800亿元。", None, 0),
    ("重点任务", 71, 0),
    ("建设算力设施", 71, 1),
    ("2024年底前建成数据中心3个。", 71, 2),
    ("新建5G基站5000个。", 71, 2),
    ("培育数据企业", 71, 1),
    ("保障措施", 71, 0),
]


def test_word_list_numbers_are_rendered_as_heading_labels(tmp_path):
    path = _numbered_docx(tmp_path / "plan.docx", PLAN)
    assert read_document(path).splitlines() == [
        "某市数字经济三年行动计划",
        "一、总体要求",
        "（一）主要目标",
        "到2025年，数字经济核心产业增加值达到800亿元。",
        "二、重点任务",
        "（一）建设算力设施",
        "1. 2024年底前建成数据中心3个。",
        "2. 新建5G基站5000个。",
        "（二）培育数据企业",
        "三、保障措施",
    ]


def test_numbered_headings_build_the_tree_and_carry_deadlines(tmp_path):
    path = _numbered_docx(tmp_path / "plan.docx", PLAN)
    document = parse_structure(read_document(path))
    assert [(n.key, n.label, n.title) for n in document.iter_nodes()][:4] == [
        ("1", "一、", "总体要求"),
        ("1.1", "（一）", "主要目标"),
        ("2", "二、", "重点任务"),
        ("2.1", "（一）", "建设算力设施"),
    ]
    found = {(t.node_key, t.value_min, t.year) for t in extract_targets(document)}
    assert ("1.1", Decimal(800), 2025) in found
    assert ("2.1.1", Decimal(3), 2024) in found


def test_lists_sharing_a_definition_continue_unless_one_restarts(tmp_path):
    paragraphs = [("甲", 71, 0), ("乙", 71, 0), ("丙", 72, 0)]
    continued = read_document(_numbered_docx(tmp_path / "a.docx", paragraphs)).splitlines()
    restarted = read_document(
        _numbered_docx(tmp_path / "b.docx", paragraphs, restart_second_list=True)
    ).splitlines()
    assert continued == ["一、甲", "二、乙", "三、丙"]
    assert restarted == ["一、甲", "二、乙", "一、丙"]


def test_symbol_font_bullets_and_unnumbered_paragraphs_get_no_label(tmp_path):
    paragraphs = [("要点一", 73, 0), ("正文", None, 0), ("", 71, 0), ("标题", 71, 0)]
    lines = read_document(_numbered_docx(tmp_path / "c.docx", paragraphs)).splitlines()
    # An empty numbered paragraph still takes its number, as Word shows it.
    assert lines == ["要点一", "正文", "", "二、标题"]


def test_a_heading_style_linked_to_a_list_numbers_its_paragraphs(tmp_path):
    import docx
    from docx.oxml import parse_xml

    path = _numbered_docx(tmp_path / "d.docx", [("某区方案", None, 0)])
    document = docx.Document(str(path))
    style = document.styles["Heading 2"]
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="1"/><w:numId w:val="71"/></w:numPr>')
    )
    document.add_paragraph("主要目标", style="Heading 2")
    document.add_paragraph("重点任务", style="Heading 2")
    document.save(str(path))
    assert read_document(path).splitlines()[1:] == ["（一）主要目标", "（二）重点任务"]
