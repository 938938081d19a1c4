"""Benchmarks run by `make bench`. Each figure is a median of several runs, with its baseline."""
