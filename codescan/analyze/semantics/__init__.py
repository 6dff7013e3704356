"""The semantic layer: what a call calls and where its arguments come from, as language-neutral facts."""
