"""Deliveries: shipments to and from clients, partners and suppliers, tracked with a carrier."""
