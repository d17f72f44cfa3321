"""Rolodex: a self-hosted contacts server serving one store through several wire-compatible APIs."""

__version__ = "0.1.0"
