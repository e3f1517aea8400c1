"""What the user wrote: the scenario schema (pydantic), its loading, and the error type."""
