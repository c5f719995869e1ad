"""Servio print forms: order data in, receipt / acts / invoice / label out (PDF, DOCX, XLSX).

A plain library: no database, no web framework. The server passes an `OrderDocumentData`
and gets bytes back; user-edited templates are checked with `validate_template` on save.
"""

from printforms.assets import RefusedURL
from printforms.budget import Budget, TemplateBudgetExceeded
from printforms.documents import (
    DOCUMENT_KINDS,
    DOCUMENT_TITLES,
    FORMATS,
    MEDIA_TYPES,
    UnknownDocumentKind,
    UnsupportedFormat,
    default_template,
    file_name,
    render,
    render_html,
)
from printforms.export import Column, export_rows
from printforms.model import (
    BankDetails,
    Client,
    Device,
    LineKind,
    OrderDocumentData,
    OrderLine,
    ServiceCenter,
)
from printforms.money import amount_in_words, format_money
from printforms.sample import sample_order
from printforms.sandbox import TemplateRenderError
from printforms.selection import TemplateChoice, select_template
from printforms.validate import (
    TemplateProblem,
    TemplateValidationError,
    check_template,
    validate_template,
)
from printforms.variables import Variable, variable_catalogue

__all__ = [
    "DOCUMENT_KINDS",
    "DOCUMENT_TITLES",
    "FORMATS",
    "MEDIA_TYPES",
    "BankDetails",
    "Budget",
    "Client",
    "Column",
    "Device",
    "LineKind",
    "OrderDocumentData",
    "OrderLine",
    "RefusedURL",
    "ServiceCenter",
    "TemplateBudgetExceeded",
    "TemplateChoice",
    "TemplateProblem",
    "TemplateRenderError",
    "TemplateValidationError",
    "UnknownDocumentKind",
    "UnsupportedFormat",
    "Variable",
    "amount_in_words",
    "check_template",
    "default_template",
    "export_rows",
    "file_name",
    "format_money",
    "render",
    "render_html",
    "sample_order",
    "select_template",
    "validate_template",
    "variable_catalogue",
]
