"""SLA clocks: a business calendar, policies per order type and priority, derived states."""
