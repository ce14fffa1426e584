"""Pages of the projet personnalisé (PPA / PIA)."""
