"""What customers use without an account: the order status lookup."""
