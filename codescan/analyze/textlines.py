"""Lines as every analyzer counts them: split on "\\n" only (as tree-sitter does), a trailing "\\r" dropped."""
from __future__ import annotations


def split_lines(text: str) -> list[str]:
    """The lines of `text`, numbered as findings number them: a lone "\\r", U+2028, NEL, form feed or vertical tab
    stays inside its line (the parser does not count it), so line N of this list is always the parser's line N."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # a final newline ends the last line; it does not start another
    if "\r" not in text:  # most text: no line to trim (the loop below was most of this function's time)
        return lines
    return [line[:-1] if line.endswith("\r") else line for line in lines]
