"""Training modules: lessons, case sequences, progression and study hours."""
