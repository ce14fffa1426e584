"""Demo data (seed_demo) and scale data (generate_scale_data, generate_care_scale_data): not domain code.

The domain apps never import this app; it imports every domain app and calls their services."""
