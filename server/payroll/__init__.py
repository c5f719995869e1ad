"""Payroll: rules per role, employee or partner service center (base, percentages of work and
of parts margin, fixed amounts per line, coefficients by partner or brand), periods computed
from closed orders, reviewed, approved and locked (later changes land in the next period as
corrections), XLSX report sheets, and each employee's own figures live."""
