"""Search: index definitions, document builders and queries on Elasticsearch.

The index is a disposable projection of the database and can always be rebuilt from it.
"""
