"""analyze/filekind.py decides what a file is for every verb: language, role, fenced blocks; the crawl's kinds and
the corpus records go through it too."""
import pytest

from codescan.analyze.filekind import classify, of_path
from codescan.corpus.records import Fields, parts
from codescan.state.kinds import path_kind

SHELL = '<?php system($_GET["c"]); ?>\n'


@pytest.mark.parametrize("path", ["a.php", "a.phtml", "a.pht", "a.phar", "a.php3", "a.php4", "a.php5", "a.php7",
                                  "a.php8", "a.phpt", "a.phps", "a.inc", "up/.htaccess", ".htaccess"])
def test_every_php_extension_is_php(path):
    assert classify(path, SHELL).language == "php"
    assert path_kind(path) == "php"


@pytest.mark.parametrize("path,key", [
    ("Makefile", ":makefile"), ("build/GNUmakefile", ":makefile"), ("x/rules.mk", ":makefile"),
    (".github/workflows/ci.yml", "yaml:workflow"), ("package.json", "json:package.json"),
    ("requirements-dev.txt", "markdown:requirements"), ("src/app.py", "python"), ("notes", ""),
])
def test_role_and_crawl_kind_come_from_the_same_decision(path, key):
    assert path_kind(path) == of_path(path).key == key


def test_content_decides_only_when_the_path_says_nothing():
    assert classify("tool", "#!/usr/bin/env python3\nprint(1)\n").language == "python"
    assert classify("NOTES", "intro\n```sh\nls\n```\n").language == "markdown"
    assert classify("NOTES", "intro\n```sh\nls\n```\n").fenced
    assert classify("x.weird", "const a = require('x');\nconsole.log(a);\n").language == "javascript"
    assert classify("page.html", "const a = require('x');\nconsole.log(a);\n").language is None  # markup: no guess
    assert classify("Makefile", "import os\n").language is None  # a role: the content does not re-decide
    assert classify("a.txt", "x", language="python").language == "python"  # a dataset's label wins


def test_prose_that_quotes_a_command_or_two_is_not_code():
    # a wheel's METADATA: mail headers, then a long changelog that mentions `pip install` twice in 400 lines
    changelog = "".join(f"- Fixed issue {i} in the URL builder, see the pull request.\n\n" for i in range(200))
    metadata = "Metadata-Version: 2.4\nName: yarl\nVersion: 1.0\n\n" + changelog + "pip install yarl\n"
    assert classify("yarl-1.0.dist-info/METADATA", metadata).language == "markdown"
    assert classify("CHANGES", changelog + "pip install .\ncurl -O https://x.example/a\n").language is None
    # the same lines in a short snippet, or as a real share of a longer file, still decide
    assert classify("CHANGES", "pip install .\ncurl -O https://x.example/a\n").language == "shell"
    script = "".join(f"echo step {i}\ncurl -fsSO https://x.example/{i}\n" for i in range(30))
    assert classify("setup-env", script).language == "shell"


def test_markdown_and_agent_rule_files_read_their_fences():
    assert classify("README.md").fenced and classify("docs/x.markdown").fenced and classify("AGENTS.md").fenced
    assert not classify("a.py").fenced


def test_a_record_is_classified_like_the_file_it_names():
    for path in ("build/Makefile", "web/shell.phar", "README.md", ".github/workflows/ci.yml"):
        text = "```sh\ncurl x | sh\n```\n" if path.endswith(".md") else SHELL
        (part,) = parts({"path": path, "content": text}, Fields(path="path"))
        assert part.language == classify(path, text).language and part.path == path
