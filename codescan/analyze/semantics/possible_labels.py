"""Which source labels a file's text could carry at all: a label's rules skip a file without any of its
tokens (`environ`, `gethostname`, `.ssh`, `requests`...), searched only when a rule asks about that label."""
from __future__ import annotations

import re

from ..gate_index import _Words
from ..rule_gate import presence_of


# Tokens without which a label cannot arise in a file (rules that need only those labels skip it);
# looked up with bytes.find in the lower-cased source (far cheaper than one regex alternation).
_POSSIBLE = {
    "env": (b"environ", b"getenv", b"process.env", b"process[", b"deno.env", b"bun.env",
            b"} = process", b"}=process", b"'process'", b'"process"', b"node:process"),  # const { env } = process
    "host-identity": (b"gethostname", b"getfqdn", b"platform", b"uname", b"getuser", b"getlogin", b"getnode",
                      b"getuid", b"getpwuid", b"hostname", b"userinfo", b"networkinterfaces", b"homedir"),
    "credential-file": (b".ssh", b"hosts.yml", b"terraform.d", b"cargo", b"gem", b"vault-token", b"pgpass", b".azure", b"s3cfg", b"id_rsa", b"id_ed25519", b"id_ecdsa", b".aws", b"npmrc", b"pypirc", b"netrc",
                        b"credentials", b".docker", b".kube", b"gnupg", b"wallet", b"nkbih", b"ejbalbak", b"bfnaelmo", b"hnfankno", b"fhbohima", b"ibnejdfj",
                        b"extension settings", b"indexeddb", b"logins.json", b"key4.db", b"key3.db", b"firefox",
                        b"keystore", b"gcloud", b"solana", b"webrequest",
                        b"/etc/shadow", b"cookies", b"login data", b"local state", b"web data", b"leveldb",
                        b"local storage", b"exodus", b"electrum", b"atomic", b"metamask", b"tdata", b"filezilla", b"winscp", b"minecraft", b"launcher_accounts", b"rclone",
                        b"telegram desktop", b"discord", b"user data", b"browser_cookie", b"browsercookie",
                        b"pycookiecheat", b"cryptunprotectdata", b"rookiepy", b"serviceaccount",
                        b"keychain", b"history.search", b"ssfn", b"loginusers", b"_history", b"tabs.onupdated",
                        b"webnavigation", b"/.env", b"*.env"),  # lang/js_files: a search whose pattern names dotenv files
    "network": (b"requests", b"httpx", b"urlopen", b"urllib", b"getresponse", b"aiohttp", b"http", b"fetch",
                b"axios", b"got", b"responsetext", b"ajax", b"$.get", b"recv", b"undici", b"superagent",
                b"needle", b"phin", b"ky"),
    "socket": (b"socket", b"recv", b"net.", b"tls.", b"connect", b"tcp_stream",
               b"received(",  # a protocol's dataReceived / data_received callback (python_handlers)
               b"method, prop", b"method, _prop", b"method, header", b"kafka", b"receive_message"),  # queues
    "decoded": (b"decode", b"unhexlify", b"a2b_", b"fromhex", b"decompress", b"atob", b"buffer", b"inflate",
                b"gunzip", b"decrypt", b"reveal"),
    "self-serialized": (b"dump",),
    "own-source": (b"__doc__", b"__file__"),
    "request": (b"request", b"req.", b"req,", b"req)", b"ctx.", b"event.", b".route(", b"@app.", b"@router.",
                b"@api", b"@bp.", b"@blueprint.", b"api_view", b"fastapi", b"flask", b"django",
                b"websockethandler", b"websocketconsumer", b"servicer", b"start_response",
                b"graphene", b"strawberry", b"ariadne", b"(event, ",  # python_handlers: resolvers, serverless
                b"websocketendpoint", b"socketio", b"sio.", b"websocketresponse",  # websocket messages
                b"form_valid", b"serializer", b"fieldstorage", b"web.input", b"web.data", b"web.cookies"),
}
# Go/Java/Kotlin/C#/C/C++/PHP/Ruby/shell sources (lang/concepts.py): the same labels, their languages' words.
_POSSIBLE["env"] += (b"env[", b"env.fetch", b"env.to_", b"$_env", b"printenv", b"(env", b"`env", b"env |", b"env|",
                     b"{ env", b"; env;", b"env >")  # shell: `{ env; cat ~/.npmrc; } | curl`, `env > f` then sent
_POSSIBLE["network"] += (b"curl", b"wget", b"download", b"openstream", b"net::http", b"tcpsocket", b"fsockopen",
                         b"socket", b"uri.open", b"open-uri", b"nc ", b"ncat", b"dial")
_H3 = (b"getquery", b"readbody", b"getrouterparam", b"readformdata", b"readmultipart", b"getvalidated",
       b"readvalidated")  # h3 / Nuxt server routes (sources)
# TypeScript parameter decorators that hand a method the request's data (lang/js_handler_inputs): NestJS,
# routing-controllers, tsoa
_DECORATED = (b"@body(", b"@query(", b"@queryparam", b"@param(", b"@params(", b"@headers(", b"@headerparam",
              b"@bodyparam(", b"@cookies(", b"@cookieparam(", b"@uploadedfile", b"@messagebody(", b"@payload(",
              b"@path(", b"@req(", b"@request(", b"@ctx(", b"@args(", b"@arg(")
# lang/js_handler_inputs.framework_argument: GraphQL resolver maps, Meteor methods, Electron IPC, tRPC procedures;
# AdonisJS's request.input/all/only/qs (sources)
_FRAMEWORK = (b"query: {", b"query:{", b"mutation: {", b"mutation:{", b"subscription: {", b"meteor.methods", b"ipcmain", b"open-url", b"second-instance",
              b".input(", b"use server", b"oncall(", b"request.input", b"request.all(", b"request.only(", b"request.except(", b"request.qs(")
_POSSIBLE["request"] += (*_DECORATED, *_H3, *_FRAMEWORK, b"cherrypy", b"litestar", b"searchparams", b"reqparse", b"webargs",
                         b"params", b"cookies", b"$_get", b"$_post", b"$_request", b"$_cookie", b"$_server",
                         b"$_files", b"php://input", b"formvalue", b"getparameter", b"getheader", b"fromquery",
                         b"frombody", b"fromform", b"fromroute", b"fromheader", b"pathvariable", b"queryparam",
                         b"formparam", b"pathparam", b"query_string", b"request_uri", b"path_info", b"http_",
                         b"filter_input")
_POSSIBLE["socket"] += (b"dial", b"tcpclient", b"fsockopen", b"tcpsocket", b"dgram", b"telnetlib", b"userdata",
                        # queue and broker consumers (lang/js_message_inputs)
                        b"eachmessage", b"eachbatch", b"handlemessage", b".consume(", b"bullmq", b"'message'",
                        b'"message"')
# Rust (lang/clike_rust.py): env::var / env! / option_env!, reqwest/ureq/TcpStream, hostname/whoami crates
_POSSIBLE["env"] += (b"env::", b"env!", b"vars()", b"dotenv")
_POSSIBLE["network"] += (b"reqwest", b"ureq", b"tcpstream", b"udpsocket")
_POSSIBLE["host-identity"] += (b"whoami", b"sys_info")
# host_data: commands that print a stored credential (`npm config get ..:_authToken`, `gh auth token`, ...)
_POSSIBLE["credential-file"] += (b"_auth", b"authtoken", b"auth token", b"token list", b"print-access-token",
                                 b"print-identity-token", b"aws_secret", b"aws_access_key", b"get-access-token",
                                 b"auth:token", b"credential fill", b"-password",
                                 # lang/python_intercepts: a function installed as an HTTP client's sending method
                                 b".send =", b".send=", b".open =", b".open=", b".request =", b".request=",
                                 b".urlopen =", b".putheader =", b".endheaders =", b"._request =")
_POSSIBLE["decoded"] += (b"base64", b"frombase64", b"xxd", b"hex2bin", b"rot13", b"unpack", b"uudecode")
_POSSIBLE["secret"] = (b"token", b"secret", b"passw", b"api_key", b"apikey", b"access_key", b"private_key",
                       b"credential", b"auth", b"aws_", b"gh_", b"github_", b"npm_", b"slack", b"stripe", b"openai",
                       b"session")
_POSSIBLE["credential-name"] = (b"pass", b"pwd", b"secret", b"token", b"key", b"pin", b"magic", b"backdoor")
_POSSIBLE["auth-input"] = (b"login", b"signin", b"sign_in", b"auth", b"verif", b"check", b"valid", b"admin",
                           b"allowed", b"access", b"perm", b"role", b"privilege",
                           b"licen")
_POSSIBLE["password"] = (b"pass", b"pw", b"credenumerate")
_POSSIBLE["authorized-keys"] = (b"authorized_keys",)
_POSSIBLE["privilege-file"] = (b"sudoers", b"/etc/passwd")
_POSSIBLE["fetch-and-run"] = (b"curl", b"wget", b"iex", b"invoke-expression", b"powershell", b"pwsh")
_POSSIBLE["miner"] = (b"stratum", b"xmr", b"miner", b"donate-level", b"threads-hint", b"rig-id", b"--coin", b"--algo", b"minexmr", b"moneroocean",
                      b"nanopool", b"hashvault", b"herominers", b"c3pool", b"2miners", b"f2pool", b"nicehash",
                      b"minergate", b"ethermine", b"unmineable", b"dwarfpool", b"viabtc", b"antpool", b"prohashing",
                      b"mining.", *(b"\"4%d" % d for d in range(10)), *(b"'4%d" % d for d in range(10)), b"\"4a", b"\"4b",
                      b"'4a", b"'4b")
_POSSIBLE["autostart-key"] = (b"currentversion", b"image file execution")
_POSSIBLE["python-startup"] = (b".pth", b"customize.py")
_POSSIBLE["ssh-config"] = (b".ssh", b"ssh_config")
_POSSIBLE["temp-dir"] = (b"tmp_path", b"tmpdir")
_POSSIBLE["ipython-startup"] = (b".ipython",)
_POSSIBLE["startup-file"] = (b"bashrc", b"bash_profile", b"bash_login", b"zshrc", b"zprofile", b"zshenv", b"zlogin",
                             b".profile", b"cshrc", b"rc.local", b"crontab", b"cron.", b"spool/cron", b"autostart",
                             b"launchagents", b"launchdaemons", b"systemd", b"/etc/environment", b"ld.so.preload", b"startup",
                             b"init.d", b"profile.d", b"fish", b"powershell_profile")
_POSSIBLE["form-secret"] = (b"card", b"cc", b"cvv", b"cvc", b"csc", b"security", b"exp", b"passw", b"passwd",
                           b"document.cookie", b"checkout", b"payment", b"billing", b"getitem")  # js_dom, sources
_POSSIBLE["archive-entry"] = (b"getentries", b"getentry", b"'entry'", b'"entry"')  # sources, js_message_inputs
_POSSIBLE["web-storage"] = (b"storage.key",)  # sources: localStorage.key(i) / sessionStorage.key(i)
_POSSIBLE["site-cookie"] = (b"cookies.get",)  # sources: an extension reading one site's cookie
_POSSIBLE["app-secret"] = (b"getsession", b"secrets.get")  # sources: VS Code authentication / SecretStorage
_POSSIBLE["url-input"] = (b"location", b"document.url", b"documenturi", b"baseuri", b"usesearchparams", b"useparams",
                         b"userouter", b"useroute",  # sources: the page's address and router hooks
                         b"'message'", b'"message"', b"onmessage")  # another window's postMessage (js_message_inputs)
_POSSIBLE["keystroke"] = (b"keydown", b"keypress", b"keyup")  # js_callbacks: a page's key events
_POSSIBLE["env-var"] = _POSSIBLE["env"]
_POSSIBLE["user-identity"] = (b"getuser", b"getlogin", b"getpwuid", b"userinfo", b"getuid", b"whoami")
_POSSIBLE["downloaded"] = _POSSIBLE["network"]
_POSSIBLE["insecure-origin"] = (b"http://", b"ftp://", *(b"://%d" % d for d in range(10)))  # plain http/ftp, a bare IP


# Web request data in Python and JavaScript arrives through these (lower-cased) forms only; the broad
# `request` token above stays for the other languages' adapters (typed request parameters).
_REQUEST_STRICT = (b"request.args", b"request.form", b"request.values", b"request.json", b"request.data",
                   b"request.get", b"request.post", b"request.files", b"request.cookies", b"request.headers",
                   b"request.body", b"request.meta", b"request.query", b"request.path_params", b"request.stream",
                   b"request.params", b"request.raw_post_data", b"request.request", b"req.", b"ctx.request",
                   b"ctx.query", b"ctx.params", b"ctx.header", b"ctx.url", b"ctx.cookies", b"event.body",
                   b"event.query", b".route(", b"@app.", b"@router.",
                   b"@api", b"@bp.", b"@blueprint.", b"api_view", b"fastapi", b"urlpatterns", b"requesthandler",
                   b"websockethandler", b"websocketconsumer", b"servicer",  # python_handlers.callback_input
                   b"request.text", b"request.read", b"request.multipart", b"request.match_info",  # aiohttp.web
                   b"request.rel_url", b"request.content", b"start_response",
                   b"request.payload", b"request.nexturl", b"request.url", b"c.req.", b"searchparams",
                   b"request.matchdict", b"request.json_body", b"request.subpath", b"cherrypy", b"litestar",
                   b"reqparse", b"webargs", b"graphene", b"strawberry", b"ariadne", b"(event, ",
                   b"websocketendpoint", b"socketio", b"sio.", b"websocketresponse",
                   b"form_valid", b"serializer", b"fieldstorage", b"web.input", b"web.data", b"web.cookies",
                   *_H3,
                   *_DECORATED, *_FRAMEWORK)
_STRICT_LANGUAGES = frozenset({"python", "javascript", "typescript", "tsx"})
# tokens of JavaScript-only sources (lang/js_handler_inputs, js_message_inputs, js_files, sources' JS names): a file
# of another language holding them ('message' strings, `.input(`) is not searched for their labels because of them
_JS_ONLY = frozenset((*_FRAMEWORK, b"eachmessage", b"eachbatch", b"handlemessage", b".consume(", b"bullmq",
                      b"'message'", b'"message"', b"onmessage", b"tabs.onupdated", b"webnavigation", b"/.env",
                      b"*.env", b"storage.key", b"cookies.get", b"getentries", b"getentry", b"'entry'", b'"entry"',
                      b"@args(", b"@arg("))
_NOT_JS = frozenset({"python", "go", "java", "kotlin", "csharp", "c", "cpp", "php", "ruby", "rust", "shell"})

# A token holding another of its label's tokens adds nothing (socket finds tcpsocket): searched only once each.
_SEARCHED = tuple((label, tuple(t for t in tokens if not any(o != t and o in t for o in tokens)))
                  for label, tokens in _POSSIBLE.items())
_TOKENS = dict(_SEARCHED)


def _needles(token: bytes) -> tuple[bytes, ...]:
    """What the source's distinct words (one a line, newline before the first and after the last) must
    hold for `token` to occur in the source: each run of word characters in it, with a newline where
    the token puts a non-word character beside it (`.ssh`: a word starting with `ssh`)."""
    out = []
    for run in _WORD_RUN.finditer(token):
        start, end = run.span()
        out.append((b"\n" if start > 0 else b"") + run.group() + (b"\n" if end < len(token) else b""))
    return tuple(out)


_WORD_RUN = re.compile(rb"[a-z0-9_]+")
_NEEDLES = {t: _needles(t) for tokens in (*_TOKENS.values(), _REQUEST_STRICT) for t in tokens}
# Every token's word runs, found in a file's words all at once (GateIndex's per-word memo: the next file repeats
# most of them): a token one of whose runs occurs in none of the source's words is ruled out by set look-ups, and a
# label none of whose tokens is left, without searching the words' text at all. A run of one character (`d` of
# `init.d`, the digits of `://1`) is in nearly every file's words: it rules nothing out, yet the trie met it at almost
# every offset of every new word (a third of the runs' search); it is not a requirement (`_occurs` searches the token
# itself, so the answers stay the same; a token with no longer run is always searched, as a runless one was).
_MIN_RUN = 2
_RUN_LIST = sorted({run for token in _NEEDLES for run in _WORD_RUN.findall(token) if len(run) >= _MIN_RUN})
_RUNS = _Words(_RUN_LIST)
_RUN_IDS = {token: frozenset(_RUN_LIST.index(run) for run in _WORD_RUN.findall(token) if len(run) >= _MIN_RUN)
            for token in _NEEDLES}
_BY_RUN: dict[int, list[bytes]] = {}  # run index -> the tokens holding it
for _token, _ids in _RUN_IDS.items():
    for _at in _ids:
        _BY_RUN.setdefault(_at, []).append(_token)
_RUNLESS = frozenset(t for t, ids in _RUN_IDS.items() if not ids)  # no word run: always searched


class PossibleLabels:
    """`has(label)`: may a source of `label` occur in `source`? Each label's tokens are searched only when
    a rule asks about it (a file's rules usually need a few of the ~15 labels), each token once: first
    its word runs in the source's distinct words (a sixth of its size, shared with the rules' gate),
    then, when they all occur, the token itself in the lower-cased source."""

    def __init__(self, source: bytes, language: str | None = None):
        self._source = source
        self._lowered: bytes | None = None
        self._words: bytes | None = None
        self._language = language
        self._not_js = language in _NOT_JS
        self._seen: dict[bytes, bool] = {}  # labels share tokens (env-var = env, downloaded = network)
        self._maybe: set[bytes] | None = None  # the tokens whose every word run the source's words hold
        self._labels: dict[str, bool] = {}

    def _possible(self) -> set[bytes]:
        maybe = self._maybe
        if maybe is None:
            runs = _RUNS.found_in(presence_of(self._source).word_set(), True)
            maybe = self._maybe = {t for at in runs for t in _BY_RUN[at] if _RUN_IDS[t] <= runs} | _RUNLESS
        return maybe

    def _occurs(self, token: bytes) -> bool:
        words = self._words
        if words is None:
            words = self._words = b"\n" + presence_of(self._source).text(True, True) + b"\n"
        for needle in _NEEDLES.get(token) or _needles(token):
            if needle not in words:
                return False
        if self._lowered is None:
            self._lowered = self._source.lower()
        return token in self._lowered

    def has(self, label: str) -> bool:
        found = self._labels.get(label)
        if found is None:
            found = self._labels[label] = self._search(label)
        return found

    def _search(self, label: str) -> bool:
        seen, maybe = self._seen, self._possible()
        for token in _TOKENS.get(label, ()):
            if token not in maybe or self._not_js and token in _JS_ONLY:
                continue
            present = seen.get(token)
            if present is None:
                present = seen[token] = self._occurs(token)
            if present:
                break
        else:
            return False
        if label == "request" and self._language in _STRICT_LANGUAGES:
            return any(self._occurs(t) for t in _REQUEST_STRICT if t in maybe)
        return True
