"""HTML to PDF with WeasyPrint: shipped fonts, no network, nothing read outside the package.

WeasyPrint itself (a third of a second to import) is loaded by `printforms.layout` on the
first document, not when the server starts.
"""

from __future__ import annotations


def html_to_pdf(html: str) -> bytes:
    """Render a complete HTML document to PDF bytes (fonts embedded, subset)."""
    from printforms.layout import render_document  # WeasyPrint loads on the first document

    pdf = render_document(html).write_pdf()
    assert pdf is not None
    return pdf
