"""History, trash and undo: every write to a contact keeps the version it replaced.

docs/history.md. `recorder.Recorder` is the contact service's version keeper (it records
inside each write's transaction); `service.HistoryService` reads the versions and puts
contacts back; `purge.HistoryPurge` keeps what the retention settings promise.
"""
