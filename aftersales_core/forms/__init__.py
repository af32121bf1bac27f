"""pydantic models of every form of SPEC.md; see the submodules."""
