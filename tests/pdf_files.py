"""Small, real PDF files for upload tests, made with pypdf."""

from __future__ import annotations

import io

from pypdf import PdfWriter


def make_pdf(pages: int = 1, password: str | None = None, title: str = "Perjanjian") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4 in points
    writer.add_metadata({"/Title": title})
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
