"""Staff-edited Word letter templates and their sandboxed renderer and linter."""
