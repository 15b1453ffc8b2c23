"""ducha (督查): run a government policy action plan as data, and supervise it."""

__version__ = "0.1.0"
