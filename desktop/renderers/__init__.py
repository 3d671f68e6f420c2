"""Renderers: one widget per AI-output kind, imported lazily by the case player."""
