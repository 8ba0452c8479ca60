"""The reference portal of CDS core (Flask over the Python binding)."""
