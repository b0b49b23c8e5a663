"""Evidence kinds, one package each (options, model, collect, render)."""
