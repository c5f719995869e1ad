"""Customer ratings: an emailed one-time link after an order closes, the form, the report."""
