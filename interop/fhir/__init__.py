"""FHIR R4 API at /fhir/ (FR Core profiles): one module per resource in `resources/`, built and checked
with fhir.resources. Models come from its R4B package (R4B keeps the R4 structure of the resources
served here); the CapabilityStatement declares FHIR 4.0.1."""
