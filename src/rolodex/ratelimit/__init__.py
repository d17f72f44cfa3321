"""Rate limits per client address and per credential, with swappable counting backends.

`middleware.py` applies them to every request; `rules.py` says which limits a request
falls under; `memory.py` and `redis_backend.py` count (docs/limits.md, Rate limits).
"""
