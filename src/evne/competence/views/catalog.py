"""The catalog pages: browse, search and filter, a competence, and HR editing."""
