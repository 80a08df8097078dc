"""Verifiable birth and adoption certificates: issued from the registry, committed to the ledger, printed
with a QR code that proves them offline, checked by `jaga verify`."""
