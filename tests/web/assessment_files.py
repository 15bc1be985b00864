"""Real documents for the assessment tests, built in the test: a PDF (matplotlib), a DOCX
(python-docx), a PNG scan (Pillow), and files that must be refused."""

from __future__ import annotations

import io


def pdf_bytes(text: str = "closure assessment") -> bytes:
    """A one-page PDF drawn by matplotlib."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.text(0.1, 0.5, text)
    out = io.BytesIO()
    fig.savefig(out, format="pdf")
    return out.getvalue()


def docx_bytes(text: str = "经评估，该项整改任务措施已落实。") -> bytes:
    """A Word document with one paragraph."""
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def png_bytes() -> bytes:
    """A small grey scan."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (40, 30), 200).save(out, format="PNG")
    return out.getvalue()


OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512  # an OLE (.doc) header
