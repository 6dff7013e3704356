"""gitignore matching: git's own rules (through pathspec), per folder, deeper files last, and files above the root."""
import pytest

from codescan.sources import gitignore

RULES = "build/\n*.log\n!keep.log\n/top.txt\ndocs/**/draft-?.md\n[Tt]mp*\n\\#hash\n"


@pytest.mark.parametrize("rel, is_dir, expected", [
    ("build", True, True),            # a folder pattern matches the folder ...
    ("build", False, False),          # ... not a file of that name
    ("src/build", True, True),        # unanchored: at any depth
    ("app.log", False, True),
    ("deep/keep.log", False, False),  # negation wins when it comes later
    ("top.txt", False, True),         # anchored to the .gitignore's folder
    ("src/top.txt", False, False),
    ("docs/a/b/draft-1.md", False, True),
    ("docs/draft-10.md", False, False),  # ? is one character
    ("Tmp1", False, True),
    ("#hash", False, True),           # an escaped '#' is a name, not a comment
    ("src/main.py", False, False),
])
def test_patterns_follow_git(rel, is_dir, expected):
    files = [gitignore.read_text(RULES, "")]
    assert gitignore.ignored(files, rel, is_dir) is expected


def test_a_deeper_gitignore_overrides_and_only_below_its_folder():
    files = [gitignore.read_text("*.gen.py\n", ""), gitignore.read_text("!kept.gen.py\nlocal.py\n", "src")]
    assert gitignore.ignored(files, "x.gen.py", False)
    assert gitignore.ignored(files, "kept.gen.py", False)          # the override applies under src/ only
    assert not gitignore.ignored(files, "src/kept.gen.py", False)
    assert gitignore.ignored(files, "src/sub/local.py", False)
    assert not gitignore.ignored(files, "local.py", False)


def test_gitignore_above_the_scanned_root_applies(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("src/generated/\n/src/only_here.py\n")
    root = tmp_path / "src"
    root.mkdir()
    files = gitignore.above(root)
    assert gitignore.ignored(files, "generated", True)
    assert gitignore.ignored(files, "only_here.py", False)
    assert not gitignore.ignored(files, "main.py", False)


def test_comments_and_blank_lines_make_no_rules():
    assert gitignore.read_text("# nothing\n\n   \n", "") is None
