"""The network: member cities (their ``code`` is the ``unit`` of observations)."""
