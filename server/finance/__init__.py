"""Finance: expenses by category (numbered, corrected by reversal, never edited), the period's
income against expenses and profit with the server's own SVG charts, and the receivables:
orders handed over unpaid, by age, and what each client owes."""
