"""The seat-map editor's plain data and rules (no Qt): the file format and its conversions."""
