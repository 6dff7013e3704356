"""Records as Documents: code columns, Markdown and chat fields, fenced blocks with languages and field lines."""
from codescan.corpus import guess
from codescan.corpus.records import Fields, documents, fenced_blocks, parts, record_id


def test_code_column_is_one_part_in_its_language():
    ps = parts({"content": "x = 1\n", "lang": "Python"}, Fields(lang="lang"))
    assert [(p.field, p.block, p.language) for p in ps] == [("content", None, "python")]
    ps = parts({"content": "int main() {}", "path": "a.cpp"}, Fields(path="path"))
    assert ps[0].language == "cpp"


def test_fenced_blocks_report_their_first_line_and_info():
    text = "intro\n```python\na = 1\nb = 2\n```\ntext\n~~~~\nls -la\n~~~~\n```js\nunclosed()\n"
    assert list(fenced_blocks(text)) == [(3, "python", "a = 1\nb = 2"), (8, "", "ls -la"), (11, "js", "unclosed()\n")]
    assert list(fenced_blocks("no fences")) == []


def test_chat_turns_and_pairs_become_blocks_with_field_names():
    record = {"messages": [{"role": "user", "content": "hi"},
                           {"role": "assistant", "content": "see\n```py\nimport os\n```"}],
              "prompt": "p", "response": [{"from": "gpt", "value": "```\ndef f(x):\n    return x\n```"}]}
    got = [(p.field, p.block, p.line, p.language) for p in parts(record, Fields())]
    assert ("messages[1].content", 0, 3, "python") in got
    assert ("messages[1].content", None, 1, "markdown") in got
    assert ("response[0].value", 0, 2, "python") in got  # no info string: detected
    assert ("prompt", None, 1, "markdown") in got


def test_documents_keep_field_lines_and_name_the_record():
    record = {"id": 7, "response": "a\nb\n```python\nx = 1\n```"}
    docs = [d for _, d in documents(record, 3, "shard.jsonl", Fields())]
    block = [d for d in docs if d.id == "7:response#0"][0]
    assert block.content.decode().split("\n")[3] == "x = 1"  # line 4 of the field
    assert not block.trusted and block.path == "shard.jsonl"
    assert record_id({"x": 1}, 5, Fields()) == "5"
    keyed = [d.path for _, d in documents(record, 3, "s", Fields(), key_prefix="a/b.jsonl")]
    assert keyed == ["a/b.jsonl#3.0", "a/b.jsonl#3.1"]


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
