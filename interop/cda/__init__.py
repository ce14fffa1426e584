"""CDA R2 niveau 1 (nonXMLBody, PDF in base64) and the XDS metadata that goes with it (INTEROP.md §5)."""
