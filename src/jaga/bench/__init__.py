"""Benchmarks: `jaga bench ...` prints figures measured on this machine."""
