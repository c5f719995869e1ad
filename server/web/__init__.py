"""Server-rendered pages: the app shell, login, profile, staff and audit screens."""
