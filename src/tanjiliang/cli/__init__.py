"""The ``tanjiliang`` command line (Typer + Rich)."""
