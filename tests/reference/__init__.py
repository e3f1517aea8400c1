"""Independent numerical references carried by the test-suite (not shipped in the package)."""
