"""Work orders: types, statuses and workflow, lines and money, timeline, status lookup."""
