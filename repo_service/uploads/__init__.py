"""Resumable uploads: chunks become S3 multipart parts; completion creates a resource version."""
