"""Requests (заявки): asks from the website, the API, the phone and partners; some become orders."""
