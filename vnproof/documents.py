"""Word documents (.docx) as text: one line per paragraph, so lines and offsets name paragraphs.

Needs python-docx (`pip install 'vnproof[docx]'`).
"""
from __future__ import annotations

import io
import zipfile

DOCX_MAGIC = b"PK\x03\x04"


class DocumentError(ValueError):
    """The file is not a readable .docx, or python-docx is missing."""


def is_docx(name: str, data: bytes) -> bool:
    return name.lower().endswith(".docx") or (data[:4] == DOCX_MAGIC and b"word/" in data[:2000])


def docx_paragraphs(data: bytes) -> list[str]:
    """The document's paragraphs, body then tables, in order (line breaks inside one become spaces)."""
    try:
        import docx
    except ModuleNotFoundError:
        raise DocumentError("reading .docx needs python-docx: pip install 'vnproof[docx]'") from None
    try:
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise DocumentError(f"not a readable .docx file ({e})") from None
    paras = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                paras.extend(p.text for p in cell.paragraphs)
    return [p.replace("\n", " ").replace("\r", " ").replace("\v", " ") for p in paras]


def docx_text(data: bytes) -> str:
    """The paragraphs joined by newlines: line N of the text is paragraph N of the document."""
    return "\n".join(docx_paragraphs(data))
