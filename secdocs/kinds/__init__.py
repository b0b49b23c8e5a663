"""secdocs' evidence kinds, one package each: ``options`` (its config options), ``model`` (typed
findings, no I/O), ``collect`` (the :class:`~secdocs.collectors.Collector`, registered as a
``secdocs.collectors`` entry point) and ``render`` (its page sections, from the model only), plus
the kind's own readers. The contract every kind implements is :mod:`secdocs.collectors`.
"""
