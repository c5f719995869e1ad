"""Files (photos, signatures, documents) behind one store interface, attached to orders."""
