"""Generators for the synthetic assets of the built-in packs (numpy only, seeded).

Each generator is deterministic for a given seed, so the assets in the repository can
be rebuilt byte for byte with ``python -m case_bank.generators.<name>``.
"""
