"""The wire dialects: one thin package per API, each parsing, calling a service and rendering."""
