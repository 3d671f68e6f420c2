"""Cases and case packs: the content model, safe YAML loading, validation and assets."""
