"""`ctx.params` / `ctx.query` are Koa's request in JavaScript; a Python `ctx` is click's (or invoke's) Context."""
from __future__ import annotations

from test_fact_severity import _by_line

CLICK = ("import shutil\n"
         "def validate_preload_argv(ctx, param, value):\n"
         "    for name in ctx.params.get('preload'):\n"
         "        shutil.copy(name, '/tmp/preload/')\n")
KOA = ("const fs = require('fs');\n"
       "router.get('/file/:name', async (ctx) => {\n"
       "  ctx.body = fs.readFileSync('/srv/files/' + ctx.params.name);\n"
       "});\n")


def test_click_context_params_are_no_request_koa_context_params_are():
    assert _by_line("path-from-request-input", "preloading.py", CLICK) == {}
    assert _by_line("path-from-request-input", "routes.js", KOA) == {3: "high"}
