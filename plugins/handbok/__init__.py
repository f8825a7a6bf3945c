"""handbok: a governed management-system handbook (verksamhetshandbok) as docs-as-code.

The domain lives in plain modules (schema, documents, revision rules, legal
references, index); the MkDocs plugin and the CLI are thin adapters over it.
"""

__version__ = "0.1.0"
