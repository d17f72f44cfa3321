"""Giving the memory of large images back to the operating system when they are freed.

glibc's malloc serves a large block with its own `mmap` (and unmaps it on `free`) only
above a threshold that it raises, by default, to the size of every such block freed, up
to 32 MB. After the first decoded image is freed, Pillow's 16 MB blocks therefore come
from malloc's heaps, one per thread that asked, and stay with the process when freed:
decodes on eight worker threads kept eight decodes' worth of memory, twice the decode
budget (docs/reliability.md). A fixed threshold stops that climb, so an image's pixels
leave the process when it does, and the decode budget bounds the server's memory.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger("rolodex.photos")

# mallopt(3): M_MMAP_THRESHOLD, and the value set. Blocks of 4 MiB and more are mapped
# and unmapped on their own; JSON answers and request bodies are nearly always smaller.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 4 * 2**20


def return_large_blocks_to_the_os() -> bool:
    """Fix malloc's mmap threshold (glibc only); whether it was set. Once per process."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    if not done:
        log.warning("could not set malloc's mmap threshold; freed images may stay resident")
    return done
