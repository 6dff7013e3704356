"""Records as Documents: code columns, Markdown and chat fields, fenced blocks with languages and field lines."""
from codescan.corpus import guess
from codescan.corpus.records import Fields, documents, fenced_blocks, parts, record_id


def test_code_column_is_one_part_in_its_language():
    ps = parts({"content": "x = 1\n", "lang": "Python"}, Fields(lang="lang"))
    assert [(p.field, p.blocks, p.language) for p in ps] == [("content", (), "python")]
    ps = parts({"content": "int main() {}", "path": "a.cpp"}, Fields(path="path"))
    assert ps[0].language == "cpp"


def test_fenced_blocks_report_their_first_line_and_info():
    text = "intro\n```python\na = 1\nb = 2\n```\ntext\n~~~~\nls -la\n~~~~\n```js\nunclosed()\n"
    assert list(fenced_blocks(text)) == [(3, "python", "a = 1\nb = 2"), (8, "", "ls -la"), (11, "js", "unclosed()\n")]
    assert [b.last for b in fenced_blocks(text)] == [4, 8, 12]
    assert list(fenced_blocks("no fences")) == []


def test_chat_turns_and_pairs_are_parts_whose_fenced_blocks_are_located():
    # One part per field or turn: the analyzer reads a Markdown part's fenced blocks as code (as for a file), and a
    # finding's line says which block it is in.
    record = {"messages": [{"role": "user", "content": "hi"},
                           {"role": "assistant", "content": "see\n```py\nimport os\n```"}],
              "prompt": "p", "response": [{"from": "gpt", "value": "```\ndef f(x):\n    return x\n```"}]}
    got = {p.field: p for p in parts(record, Fields())}
    turn = got["messages[1].content"]
    assert (turn.language, turn.blocks, turn.block_at(3), turn.block_at(1)) == ("markdown", ((3, 3),), 0, None)
    assert got["response[0].value"].blocks == ((2, 3),)
    assert got["prompt"].language == "markdown" and got["prompt"].blocks == ()


def test_documents_keep_field_lines_and_name_the_record():
    record = {"id": 7, "response": "a\nb\n```python\nx = 1\n```", "prompt": "q"}
    docs = [d for _, d in documents(record, 3, "shard.jsonl", Fields())]
    field = [d for d in docs if d.id == "7:response"][0]
    assert field.content.decode().split("\n")[3] == "x = 1"  # line 4 of the field
    assert not field.trusted and field.path == "shard.jsonl" and field.named == ""  # no file name: content decides
    assert record_id({"x": 1}, 5, Fields()) == "5"
    keyed = [d.path for _, d in documents(record, 3, "s", Fields(), key_prefix="a/b.jsonl")]
    assert keyed == ["a/b.jsonl#3.0", "a/b.jsonl#3.1"]
    named = [d for _, d in documents({"path": "ci/Makefile", "content": "all:\n"}, 0, "s", Fields(path="path"),
                                     key_prefix="s")]
    assert named[0].named == "ci/Makefile"  # the Makefile rule reads it, though its path is a key


def test_language_guess_and_info_strings():
    assert guess.from_info("{.python}") == "python"
    assert guess.from_info("c++ title=x") == "cpp"
    assert guess.from_info("ts") == "typescript"
    assert guess.from_info("text") == "markdown"
    assert guess.guess("#!/bin/bash\necho hi") == "shell"
    assert guess.guess("const a = require('x');\nconsole.log(a);") == "javascript"
    assert guess.guess("def f():\n    return 1\n") == "python"
    assert guess.guess("Just some words.") is None
    assert guess.normalize("C#") == "csharp" and guess.normalize("Unknown") is None
