"""Partner organizations: dealers who file requests and partner service centers who repair."""
