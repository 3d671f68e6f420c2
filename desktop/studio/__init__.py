"""The trainer's authoring studio: write, preview, check and publish case packs."""
