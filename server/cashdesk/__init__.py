"""The cash desk: desks and their shifts, money documents (payments, refunds, cash in and out)
with their split by payment method, and the shift's X and Z reports."""
