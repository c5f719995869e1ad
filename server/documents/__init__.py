"""Documents: print forms of orders, editable print templates, exports and downloads."""
