"""The unified catalogue: /offers/, one offer's page, enquiries and the Atom feed."""
