"""The ``containers:`` block of the plugin options, declared once (checked when the configuration
loads, every error at once)::

    containers:
      max_base_age_days: 180   # a base image older than this at the release fails its check
      max_layer_size: 67108864 # layer blobs larger than this are not re-hashed from a tar

Image signatures use the ``signer``, ``trusted_root`` and ``public_keys`` options shared with file
signatures.
"""

from __future__ import annotations

from secdocs.options import Block, Number, Options

KEY = "containers"


class ContainersBlock(Options):
    max_base_age_days = Number(180, minimum=0, meaning="a number of days")
    max_layer_size = Number(64 * 1024 * 1024, minimum=0, meaning="a number of bytes")


class ContainersOptions(Options):
    """Options of the ``containers`` kind."""

    containers = Block(ContainersBlock, example="containers: {max_base_age_days: 180}")
