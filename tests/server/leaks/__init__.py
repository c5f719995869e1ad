"""The generated leak matrix: markers, seeded data, fillers and body readers (issue 9)."""
