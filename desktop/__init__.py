"""The only Qt code: app shell, screens per role, AI-output renderers, and the CLI.

``desktop.cli`` is deliberately Qt-free so headless commands stay fast.
"""
