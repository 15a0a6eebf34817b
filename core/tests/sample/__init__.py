"""A sample case type used only by the tests of the core mechanisms (not shipped: only the test
settings install it). It declares a workflow table and clock rules like a real module would."""
