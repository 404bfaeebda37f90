"""Records pages: my competences, registering with evidence, verification, a person's history."""
