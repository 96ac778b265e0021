"""Peer implementations of the benchmark questions: one module per tool (pandas, Polars, DuckDB)."""
