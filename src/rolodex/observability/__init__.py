"""Observability: request ids, structured (JSON) request logs with secrets redacted."""
