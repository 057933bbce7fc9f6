"""Generate the Word templates of the Consortium Agreement and the Accession Form.

Run once (``python tools/make_agreement_template.py``) and commit the result:
``templates/agreement/agreement.docx`` and ``templates/agreement/accession.docx``.
From then on the .docx files are the source of truth: a lawyer restyles them
in Word (fonts, sizes, spacing, numbering format, header, cover page) and
unadocs only refers to the style names below, never to fonts or sizes.

Contract between the templates and unadocs (do not rename these in Word):

* paragraph styles ``Heading1`` (clause heading, numbered), ``Clause2``
  (sub-clause 1.1), ``Clause3`` (item (a)), ``BodyText``, ``ListBullet``,
  ``Party`` ((1), (2) ...), ``Recital`` ((A), (B) ...), ``PreambleHeading``,
  ``Subheading``, ``AnnexHeading``, ``SignatureHeading``, ``SignatureLine``,
  ``DraftingNote``, ``TableText``, ``TOC1`` (a right tab with a dot leader for
  the page number), ``CommentText``; character styles ``DefinedTerm`` and
  ``CommentReference``; table style ``AgreementTable``; clause and annex headings
  with an outline level (LibreOffice's bookmarks give the TOC's page numbers);
* the paragraphs ``{{p toc }}`` and ``{{p body }}``, which unadocs replaces
  with the table of contents and the clauses;
* the docxtpl fields ``reference``, ``version``, ``date``, ``draft``,
  ``credential_title``, ``status``, ``parties`` (a list of names), and in the
  header ``compared_with`` (the other version, in a redline only).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "templates" / "agreement"

NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word"'
)
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

FONT = "Arial"
#: Word's own style names: declared without customStyle so that Word treats them as its built-ins.
BUILT_IN = {"Title", "Subtitle", "heading 1", "Body Text", "List Bullet", "TOC Heading", "toc 1", "header", "footer",
            "annotation text", "annotation reference"}
SIZE = 21  # half-points
PAGE_WIDTH, MARGIN = 11906, 1304  # A4 and its left and right margins, in twips
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN


def style(sid: str, name: str, ppr: str = "", rpr: str = "", based: str = "Normal", kind: str = "paragraph",
          extra: str = "") -> str:
    based_on = f'<w:basedOn w:val="{based}"/>' if based else ""
    custom = "" if name in BUILT_IN else ' w:customStyle="1"'
    return (f'<w:style w:type="{kind}"{custom} w:styleId="{sid}"><w:name w:val="{name}"/>{based_on}'
            f'{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>')


def styles_xml() -> str:
    border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    borders = "".join(border.format(b) for b in ("top", "left", "bottom", "right", "insideH", "insideV"))
    parts = [
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" '
        f'w:cs="{FONT}"/><w:sz w:val="{SIZE}"/><w:szCs w:val="{SIZE}"/><w:lang w:val="en-GB"/></w:rPr>'
        '</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
        '</w:pPr></w:pPrDefault></w:docDefaults>',
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>'
        '<w:pPr><w:jc w:val="both"/></w:pPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        '</w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:semiHidden/>'
        '</w:style>',
        # Cover page
        style("Title", "Title", '<w:spacing w:before="2400" w:after="240"/><w:jc w:val="center"/>',
              '<w:b/><w:sz w:val="48"/><w:szCs w:val="48"/>'),
        style("Subtitle", "Subtitle", '<w:spacing w:after="480"/><w:jc w:val="center"/>',
              '<w:sz w:val="32"/><w:szCs w:val="32"/>'),
        style("CoverText", "Cover Text", '<w:jc w:val="center"/>', ""),
        style("CoverMeta", "Cover Details", '<w:spacing w:before="720" w:after="60"/><w:jc w:val="center"/>', ""),
        style("CoverParty", "Cover Party", '<w:spacing w:after="60"/><w:jc w:val="center"/>', "<w:b/>"),
        # Clause headings and numbered levels (linked to the multilevel list 1)
        style("Heading1", "heading 1",
              '<w:keepNext/><w:keepLines/><w:numPr><w:numId w:val="1"/></w:numPr>'
              '<w:spacing w:before="360" w:after="120"/><w:jc w:val="left"/><w:outlineLvl w:val="0"/>',
              '<w:b/><w:caps/><w:sz w:val="22"/><w:szCs w:val="22"/>', extra='<w:next w:val="Clause2"/>'),
        style("Clause2", "Clause Level 2", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>', ""),
        style("Clause3", "Clause Level 3", '<w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>', ""),
        style("BodyText", "Body Text", '<w:ind w:left="720"/>', ""),
        style("ListBullet", "List Bullet", '<w:numPr><w:numId w:val="4"/></w:numPr>', ""),
        style("Party", "Party", '<w:numPr><w:numId w:val="2"/></w:numPr>', ""),
        style("Recital", "Recital", '<w:numPr><w:numId w:val="3"/></w:numPr>', ""),
        style("PreambleHeading", "Preamble Heading",
              '<w:keepNext/><w:pageBreakBefore/><w:spacing w:before="240" w:after="120"/><w:jc w:val="left"/>',
              '<w:b/><w:caps/><w:sz w:val="22"/><w:szCs w:val="22"/>'),
        style("Subheading", "Subheading", '<w:keepNext/><w:spacing w:before="240"/><w:jc w:val="left"/>',
              "<w:b/>"),
        style("AnnexHeading", "Annex Heading",
              '<w:keepNext/><w:pageBreakBefore/><w:spacing w:after="240"/><w:jc w:val="left"/>'
              '<w:outlineLvl w:val="0"/>', '<w:b/><w:sz w:val="26"/><w:szCs w:val="26"/>'),
        style("SignatureHeading", "Signature Heading",
              '<w:keepNext/><w:pageBreakBefore/><w:spacing w:after="240"/><w:jc w:val="left"/>', "<w:b/>"),
        style("SignatureLine", "Signature Line",
              '<w:pBdr><w:top w:val="single" w:sz="4" w:space="1" w:color="000000"/></w:pBdr>'
              '<w:spacing w:before="600" w:after="0"/><w:ind w:right="4500"/><w:jc w:val="left"/>',
              '<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        style("DraftingNote", "Drafting Note",
              '<w:shd w:val="clear" w:color="auto" w:fill="FFF2CC"/><w:ind w:left="720"/>',
              '<w:i/><w:color w:val="7F6000"/><w:sz w:val="18"/><w:szCs w:val="18"/>'),
        style("TableText", "Table Text", '<w:spacing w:before="40" w:after="40"/><w:jc w:val="left"/>',
              '<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        style("TOCHeading", "TOC Heading",
              '<w:pageBreakBefore/><w:spacing w:after="240"/><w:jc w:val="left"/>',
              '<w:b/><w:caps/><w:sz w:val="22"/><w:szCs w:val="22"/>'),
        style("TOC1", "toc 1", '<w:tabs><w:tab w:val="left" w:pos="567"/>'
              f'<w:tab w:val="right" w:leader="dot" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:after="60"/>'
              '<w:jc w:val="left"/>', ""),
        style("CommentText", "annotation text", '<w:spacing w:after="0"/><w:jc w:val="left"/>',
              '<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        '<w:style w:type="character" w:styleId="CommentReference"><w:name w:val="annotation reference"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
        style("Header", "header", '<w:spacing w:after="0"/><w:jc w:val="center"/>',
              '<w:sz w:val="16"/><w:szCs w:val="16"/>'),
        style("Footer", "footer", '<w:spacing w:after="0"/><w:jc w:val="center"/>',
              '<w:sz w:val="16"/><w:szCs w:val="16"/>'),
        '<w:style w:type="character" w:customStyle="1" w:styleId="DefinedTerm"><w:name w:val="Defined Term"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:qFormat/><w:rPr><w:b/></w:rPr></w:style>',
        '<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:color w:val="1F4E79"/></w:rPr></w:style>',
        '<w:style w:type="table" w:customStyle="1" w:styleId="AgreementTable"><w:name w:val="Agreement Table"/>'
        f'<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>{borders}</w:tblBorders></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr><w:tcPr><w:shd w:val="clear" w:color="auto" '
        'w:fill="E7E6E6"/></w:tcPr></w:tblStylePr></w:style>',
    ]
    return HEAD + f'<w:styles {NS}>' + "".join(parts) + "</w:styles>"


def level(ilvl: int, fmt: str, text: str, style_id: str | None, left: int, hanging: int) -> str:
    pstyle = f'<w:pStyle w:val="{style_id}"/>' if style_id else ""
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>')


def numbering_xml() -> str:
    clauses = "".join([
        level(0, "decimal", "%1", "Heading1", 720, 720),
        level(1, "decimal", "%1.%2", "Clause2", 720, 720),
        level(2, "lowerLetter", "(%3)", "Clause3", 1440, 720),
        level(3, "lowerRoman", "(%4)", None, 2160, 720),
    ] + [level(i, "decimal", f"%{i + 1}", None, 2880, 720) for i in range(4, 9)])
    parties = level(0, "decimal", "(%1)", "Party", 720, 720)
    recitals = level(0, "upperLetter", "(%1)", "Recital", 720, 720)
    bullet = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pStyle w:val="ListBullet"/>'
              '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="1080" w:hanging="360"/>'
              '</w:pPr></w:lvl>')
    body = "".join([
        f'<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="multilevel"/>{clauses}</w:abstractNum>',
        f'<w:abstractNum w:abstractNumId="2"><w:multiLevelType w:val="singleLevel"/>{parties}</w:abstractNum>',
        f'<w:abstractNum w:abstractNumId="3"><w:multiLevelType w:val="singleLevel"/>{recitals}</w:abstractNum>',
        f'<w:abstractNum w:abstractNumId="4"><w:multiLevelType w:val="singleLevel"/>{bullet}</w:abstractNum>',
    ] + [f'<w:num w:numId="{i}"><w:abstractNumId w:val="{i}"/></w:num>' for i in range(1, 5)])
    return HEAD + f'<w:numbering {NS}>{body}</w:numbering>'


def para(text: str, style_id: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>' if style_id else ""
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


SECTION = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>'
           '<w:footerReference w:type="default" r:id="rIdFooter"/>'
           f'<w:pgSz w:w="{PAGE_WIDTH}" w:h="16838"/>'
           f'<w:pgMar w:top="1440" w:right="{MARGIN}" w:bottom="1440" w:left="{MARGIN}" w:header="709" '
           'w:footer="709" w:gutter="0"/></w:sectPr>')


def agreement_document() -> str:
    body = "".join([
        para("Consortium Agreement", "Title"),
        para("{{ credential_title }}", "Subtitle"),
        para("a joint micro-credential of the Una Europa alliance", "CoverText"),
        para("between", "CoverText"),
        para("{%p for name in parties %}", "CoverParty"),
        para("{{ name }}", "CoverParty"),
        para("{%p endfor %}", "CoverParty"),
        para("Reference {{ reference }}", "CoverMeta"),
        para("Version {{ version }} of {{ date }} \u2014 {{ status }}", "CoverText"),
        para("Contents", "TOCHeading"),
        para("{{p toc }}"),
        para("{{p body }}"),
    ])
    return HEAD + f'<w:document {NS}><w:body>{body}{SECTION}</w:body></w:document>'


def accession_document() -> str:
    return HEAD + f'<w:document {NS}><w:body>{para("{{p body }}")}{SECTION}</w:body></w:document>'


WATERMARK = (
    '<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/>'
    '<v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/>'
    '<v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/>'
    '<v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:430pt;height:150pt;rotation:315;z-index:-251657216;'
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d9d9d9" stroked="f">'
    '<v:fill opacity=".5"/><v:textpath style="font-family:&quot;Arial&quot;;font-size:1pt" string="DRAFT"/>'
    '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r>'
)


def header_xml() -> str:
    # a redline (unadocs compare) names the version it is compared with
    text = ("{{ reference }} Consortium Agreement \u2014 version {{ version }}"
            "{% if compared_with %}, compared with {{ compared_with }}{% endif %} \u2014 {{ date }}")
    runs = (f'<w:r><w:t>{{%r if draft %}}</w:t></w:r>{WATERMARK}<w:r><w:t>{{%r endif %}}</w:t></w:r>'
            f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>')
    return HEAD + f'<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>{runs}</w:p></w:hdr>'


def field(instr: str) -> str:
    return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instr} '
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def footer_xml() -> str:
    runs = ('<w:r><w:t xml:space="preserve">Page </w:t></w:r>' + field("PAGE")
            + '<w:r><w:t xml:space="preserve"> of </w:t></w:r>' + field("NUMPAGES"))
    return HEAD + f'<w:ftr {NS}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{runs}</w:p></w:ftr>'


SETTINGS = HEAD + (f'<w:settings {NS}><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
                   '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/'
                   'word" w:val="15"/></w:compat></w:settings>')

CONTENT_TYPES = HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties'
    '+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'extended-properties+xml"/></Types>'
)

ROOT_RELS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/></Relationships>'
)

DOC_RELS = HEAD + (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/>'
    '<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'numbering" Target="numbering.xml"/>'
    '<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'settings" Target="settings.xml"/>'
    '<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'header" Target="header1.xml"/>'
    '<Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'footer" Target="footer1.xml"/></Relationships>'
)

CORE = HEAD + (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Consortium Agreement</dc:title>'
    '<dc:creator>unadocs</dc:creator><cp:revision>1</cp:revision>'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'
)

APP = HEAD + ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
              '<Application>unadocs</Application></Properties>')


def write(path: Path, document: str) -> None:
    entries = [
        ("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS), ("docProps/core.xml", CORE),
        ("docProps/app.xml", APP), ("word/document.xml", document), ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", styles_xml()), ("word/numbering.xml", numbering_xml()),
        ("word/settings.xml", SETTINGS), ("word/header1.xml", header_xml()), ("word/footer1.xml", footer_xml()),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "agreement.docx", agreement_document())
    write(OUT / "accession.docx", accession_document())
    print(f"wrote {OUT / 'agreement.docx'} and {OUT / 'accession.docx'}")


if __name__ == "__main__":
    main()
