"""FHIR endpoints: thin views over the resource handlers; every refusal is an OperationOutcome."""
