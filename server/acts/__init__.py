"""Acts: the documents a visit must end with, per order type, and the requests chasing them."""
