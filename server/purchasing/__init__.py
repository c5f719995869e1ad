"""Purchasing: suppliers and the orders placed with them (заказы поставщикам)."""
