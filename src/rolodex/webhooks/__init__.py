"""Webhooks: subscriptions, batches built from the change log, and signed delivery.

`service.py` answers the API; `batching.py` turns the change log into batches;
`delivery.py` is the worker that sends them; `addresses.py` and `transport.py` keep
delivery away from private networks; `signing.py` is the Standard Webhooks signature.
"""
