"""Pure decision functions, one module per family of rules (SPEC.md R1-R23)."""
