"""Corpus filtering: dataset shards in, kept shards, a drop report and a tamper-evident manifest out."""
