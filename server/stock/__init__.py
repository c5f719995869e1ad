"""Stock: stores and masters' vans, items, levels and the documents that move them."""
