"""Where data comes from, as data: canonical names whose value (read or call result) carries a label, and calls
that clear labels (what a constant text names: text_labels.py)."""
from __future__ import annotations

import re

from .names import pattern_regex
from .pure_memo import PureMemo

# label -> canonical names (reading the name, or the result of calling it, carries the label)
SOURCES = {
    "env": ("os.environ", "os.environb", "process.env", "Deno.env.toObject", "Bun.env"),
    # one named variable: ordinary configuration, not the whole environment
    "env-var": ("os.getenv", "os.getenvb", "os.environ.get", "os.environ.pop", "os.environ.setdefault",
                "process.env.*", "Deno.env.get", "os.environ[]"),
    "host-identity": ("socket.gethostname", "socket.getfqdn", "platform.node", "platform.uname", "os.uname",
                      "getpass.getuser", "os.getlogin", "uuid.getnode", "os.getuid", "pwd.getpwuid",
                      "os.hostname", "os.userInfo", "os.networkInterfaces", "os.homedir"),
    # a password the user types (also: values named like passwords, python_values via password_named)
    "password": ("getpass.getpass", "keyring.get_password", "keyring.get_credential",  # typed or kept for the user
                 # every saved credential of Windows' Credential Manager (pywin32), walked as stealers do
                 "win32cred.CredEnumerate"),
    # a page's session cookies and form secrets (card, CVC, password fields: lang/js_dom)
    "form-secret": ("document.cookie", "window.document.cookie"),
    # every entry of the page's storage, walked by index (`localStorage.key(i)`): the session tokens apps keep there
    "web-storage": ("localStorage.key", "sessionStorage.key"),
    # one named cookie of a site, read by an extension (a session cookie: `.ROBLOSECURITY`, a webmail's SID)
    "site-cookie": ("chrome.cookies.get", "browser.cookies.get"),
    # the members of an archive read by adm-zip (their entryName is whatever the archive's author wrote; the
    # 'entry' events of unzipper / yauzl / tar-stream: lang/js_message_inputs)
    "archive-entry": ("adm-zip().getEntries", "adm-zip.default().getEntries", "adm-zip().getEntry"),
    # the login name (a subset of host identity): put into a URL or a DNS name it is a beacon, not telemetry
    "user-identity": ("getpass.getuser", "os.getlogin", "pwd.getpwuid", "os.userInfo", "os.getuid"),
    "network": ("requests.get", "requests.post", "requests.put", "requests.patch", "requests.request",
                "requests.delete", "requests.head", "requests.*().get", "requests.*().post",
                "requests.*().request", "httpx.get", "httpx.post", "httpx.request", "httpx.stream",
                "httpx.*().get", "httpx.*().post", "httpx.*().request", "urllib.request.urlopen",
                "urllib.urlopen", "urllib3.*().request", "urllib3.request", "http.client.*().getresponse",
                "aiohttp.*().get", "aiohttp.*().post", "**.urlopen", "**.getresponse", "fetch", "axios", "axios.get", "axios.post",
                "axios.request", "got", "got.get", "node-fetch", "https.get", "http.get", "$.get", "$.ajax",
                # more Node HTTP clients: undici's request/fetch, got's stream and verbs, ky, superagent, needle,
                # phin, the fetch polyfills
                "undici.request", "undici.fetch", "got.stream", "got.post", "ky", "ky.get", "superagent.get",
                "needle", "needle.get", "phin", "cross-fetch", "isomorphic-fetch",
                "XMLHttpRequest().responseText", "**.responseText", "**.getresponse",
                # urllib's opener objects and Tornado's HTTP clients (what fetch resolves to is the response)
                "urllib.request.build_opener().open", "urllib.request.OpenerDirector().open",
                "urllib2.build_opener().open", "tornado.httpclient.AsyncHTTPClient().fetch",
                "tornado.httpclient.HTTPClient().fetch",
                # a prepared request sent through a Session; aiohttp's module-level request() context manager
                "requests.Session().send", "requests.sessions.Session().send", "aiohttp.request",
                # a chat channel read as a command queue: Slack's history and replies
                "slack_sdk.WebClient().conversations_history", "slack_sdk.WebClient().conversations_replies",
                "slack.WebClient().conversations_history",
                # a model hub's file fetched into the local cache: the path of what the repository's owner uploaded
                "huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download",
                "huggingface_hub.cached_download"),
    "socket": ("socket.socket", "socket.create_connection", "socket.fromfd", "**.recv", "**.recvfrom",
               # telnetlib: what the remote side sends, read up to a marker or all of it
               "telnetlib.Telnet().read_until", "telnetlib.Telnet().read_all", "telnetlib.Telnet().read_some",
               "telnetlib.Telnet().read_very_eager", "telnetlib.Telnet().read_eager", "telnetlib.Telnet().expect",
               # ZeroMQ sockets' receives (a REP/PULL/SUB socket: whoever connects sends these)
               "zmq.Context().socket().recv_string", "zmq.Context().socket().recv_json",
               "zmq.Context().socket().recv_multipart", "zmq.Context().socket().recv_pyobj",
               "zmq.asyncio.Context().socket().recv_string", "zmq.asyncio.Context().socket().recv_json",
               "asyncio.open_connection", "asyncio.open_unix_connection", "anyio.connect_tcp", "trio.open_tcp_stream",
               "**.recv_into", "net.connect", "net.createConnection", "net.Socket", "tls.connect",
               # what a WebSocket / socket.io peer or a UDP datagram sends (their message events, lang/js_callbacks)
               "ws.WebSocketServer", "ws.Server", "ws.WebSocket", "ws", "WebSocket.Server", "dgram.createSocket",
               "socket.io-client.io", "socket.io-client", "socket.io-client.connect", "socket.io.Server", "socket.io",
               # a message queue's consumers: what another service (or whoever can publish) put on the topic
               "kafka.KafkaConsumer", "kafka.KafkaConsumer().poll", "aiokafka.AIOKafkaConsumer",
               "aiokafka.AIOKafkaConsumer().getone", "aiokafka.AIOKafkaConsumer().getmany",
               "confluent_kafka.Consumer().poll", "confluent_kafka.Consumer().consume",
               "boto3.client().receive_message", "boto3.resource().Queue().receive_messages",
               "pika.BlockingConnection().channel().basic_get", "pika.BlockingConnection().channel().consume"),
    "request": ("request.args", "request.form", "request.values", "request.json", "request.data",
                "request.get_json", "request.get_data", "request.files", "request.cookies", "request.headers",
                "request.GET", "request.POST", "request.body", "request.FILES", "request.COOKIES",
                "request.META", "request.query_params", "request.path_params", "request.stream",
                "request.query", "request.params", "request.raw_post_data", "request.REQUEST",
                "req.body", "req.query", "req.params", "req.headers", "req.cookies", "req.files",
                "req.param", "req.get", "req.allParams", "req.file", "ctx.request.body",
                # AdonisJS's request (`{ request }` of the context): input('name'), all(), only([...]), qs()
                "req.input", "req.all", "req.only", "req.except", "req.qs",
                # Firebase callable functions (v2): `onCall((request) => request.data)`
                "req.data", "ctx.query", "ctx.params",
                # Koa's context and request: query, headers, files, the raw URL the client asked for
                "ctx.request.query", "ctx.request.querystring", "ctx.request.headers", "ctx.request.header",
                "ctx.request.files", "ctx.request.rawBody", "ctx.request.url", "ctx.querystring", "ctx.headers",
                "ctx.header", "ctx.url", "ctx.request.get", "ctx.cookies.get",
                # Hapi's payload; the Fetch API Request a route handler receives (Next.js app router, Remix,
                # SvelteKit, Cloudflare Workers, Deno, Bun): its URL and the body it reads; Hono's context
                "req.payload", "req.json", "req.formData", "req.text", "req.nextUrl", "req.url", "req.originalUrl",
                "c.req.query", "c.req.queries", "c.req.param", "c.req.json", "c.req.formData", "c.req.parseBody",
                "c.req.text", "c.req.header",
                # the request a NestJS guard, interceptor or filter takes from its ExecutionContext
                "**.switchToHttp().getRequest().body", "**.switchToHttp().getRequest().query",
                "**.switchToHttp().getRequest().params", "**.switchToHttp().getRequest().headers",
                "**.switchToHttp().getRequest().cookies", "**.switchToHttp().getRequest().url",
                "request.get_argument", "request.get_arguments", "request.get_body_argument",
                "request.get_body_arguments", "request.get_query_argument", "request.get_query_arguments",
                "request.get_cookie", "request.decode_argument", "request.arguments", "request.body_arguments",
                "request.query_arguments", "request.uri",
                # aiohttp.web: `await request.post()` / .text() / .read() / .multipart(), request.match_info
                "request.post", "request.text", "request.read", "request.multipart", "request.match_info",
                "request.rel_url", "request.content",
                # Falcon (`req`/`request` of a responder), Bottle, Pyramid
                "request.get_param", "request.get_param_as_list", "request.media", "request.get_media",
                "request.bounded_stream", "request.forms", "request.matchdict", "request.json_body", "request.subpath",
                # Flask-RESTful / Flask-RESTX request parsers, webargs: the request's fields, parsed
                "flask_restful.reqparse.RequestParser().parse_args", "flask_restx.reqparse.RequestParser().parse_args",
                "webargs.flaskparser.parser.parse", "webargs.aiohttpparser.parser.parse",
                "event.body", "event.queryStringParameters",
                # a CGI script's form fields; web.py's input/data/cookies
                "cgi.FieldStorage", "web.input", "web.data", "web.cookies",
                # a browser's WebSocket messages to an aiohttp handler (iterated or received)
                "aiohttp.web.WebSocketResponse", "aiohttp.web.WebSocketResponse().receive",
                "aiohttp.web.WebSocketResponse().receive_str", "aiohttp.web.WebSocketResponse().receive_json",
                "aiohttp.web.WebSocketResponse().receive_bytes",
                # h3 / Nuxt server routes (auto-imported or from "h3")
                "getQuery", "readBody", "getRouterParam", "getRouterParams", "readFormData", "readMultipartFormData",
                "getValidatedQuery", "readValidatedBody", "h3.getQuery", "h3.readBody", "h3.getRouterParam",
                "h3.getRouterParams", "h3.readFormData", "h3.getHeader", "h3.getCookie"),
    "decoded": ("base64.b64decode", "base64.standard_b64decode", "base64.urlsafe_b64decode",
                "base64.b32decode", "base64.b16decode", "base64.b85decode", "base64.a85decode",
                "base64.decodebytes", "base64.decodestring", "binascii.unhexlify", "binascii.a2b_hex",
                "binascii.a2b_base64", "codecs.decode", "zlib.decompress", "gzip.decompress",
                "bz2.decompress", "lzma.decompress", "bytes.fromhex", "builtins.bytes.fromhex", "atob",
                "Buffer.from", "zlib.inflateSync", "zlib.gunzipSync",
                # decrypted, or read out of an image (steganography): hidden on purpose as much as base64
                "**.decrypt", "**.decrypt_and_verify", "**.lsb.reveal", "**.exifHeader.reveal", "**.Steganography.decode",
                "steggy.reveal", "steggy.reveal()", "crypto.createDecipheriv().update", "crypto.createDecipheriv().final",
                "crypto.createDecipher().update", "crypto.createDecipher().final"),
    "self-serialized": ("pickle.dumps", "dill.dumps", "cloudpickle.dumps", "marshal.dumps", "joblib.dump",
                        "yaml.dump", "yaml.dump_all"),
    # browsers' saved cookies and passwords read through a library: the same loot as their files
    "credential-file": ("browser_cookie3.*", "browsercookie.*", "pycookiecheat.*", "win32crypt.CryptUnprotectData",
                        "browser_history.*", "rookiepy.*",
                        # the cloud keys the SDK resolved for this machine (env, ~/.aws, instance role)
                        "boto3.Session().get_credentials", "boto3.session.Session().get_credentials",
                        "botocore.session.get_session().get_credentials", "botocore.session.Session().get_credentials",
                        # a browser extension reading every cookie of every site (a single named cookie is its own)
                        "chrome.cookies.getAll", "browser.cookies.getAll",
                        # an Electron app's whole cookie jar (the sites it shows, such as a webmail it wraps)
                        "electron.session.defaultSession.cookies.get", "electron.session.fromPartition().cookies.get",
                        "**.webContents.session.cookies.get",
                        # a browser extension reading the whole browsing history
                        "chrome.history.search", "browser.history.search"),
    # the page's own address in browser code (query string, fragment) and the router hooks that hand it
    # out: whoever sends the link writes it
    # (location.href / pathname and document.URL come percent-encoded: quotes and angle brackets cannot appear raw,
    # so rustdoc's `<a href="${location.href.split('?')[0]}">` is no injection; a URL object's decoded parameters is)
    "url-input": ("location.search", "location.hash", "URL().searchParams.get", "URL().searchParams.getAll",
                  "URL().hash", "next/navigation.useSearchParams",
                  "next/navigation.useParams", "next/router.useRouter", "react-router-dom.useSearchParams",
                  "react-router-dom.useParams", "react-router-dom.useLocation", "react-router.useSearchParams",
                  "react-router.useParams", "vue-router.useRoute"),
    # a token the editor signed in with or keeps in its secret storage (VS Code's authentication / SecretStorage)
    "app-secret": ("vscode.authentication.getSession", "**.secrets.get"),
}
# calls whose result no longer carries its inputs' data in a dangerous form
CLEARS = ("builtins.len", "builtins.int", "builtins.float", "builtins.bool", "builtins.isinstance",
          "builtins.hash", "builtins.id", "builtins.type", "builtins.callable", "builtins.hasattr",
          "shlex.quote", "pipes.quote", "hashlib.*", "hashlib.*().hexdigest", "hmac.*", "re.escape",
          "html.escape", "markupsafe.escape", "**.escape", "tornado.escape.xhtml_escape", "tornado.escape.url_escape",
          "ldap.filter.escape_filter_chars", "ldap.filter.filter_format", "ldap3.utils.conv.escape_filter_chars", "os.path.exists", "os.path.isfile", "os.path.isdir",
          "json.loads", "builtins.print", "parseInt", "Number", "encodeURIComponent", "escape", "isNaN",
          "crypto.createHash", "validator.escape", "Object.keys", "flask.render_template", "render_template",
          "django.shortcuts.render", "django.utils.html.format_html", "django.utils.html.format_html_join",
          "django.utils.html.conditional_escape",
          # a template FILE rendered with the values as its variables: the page is the template author's markup, the
          # values are escaped where the environment escapes (Flask, Django, Starlette's Jinja2Templates, any
          # select_autoescape environment); a template built from request text is template-from-request-input's
          "jinja2.Environment().get_template().render", "jinja2.Environment().select_template().render",
          "jinja2.Environment().get_or_select_template().render", "django.template.loader.render_to_string",
          "django.template.loader.get_template().render", "starlette.templating.Jinja2Templates().TemplateResponse",
          # a Django Template object (written in the code) rendered with a Context: Django escapes the variables
          "django.template.Template().render", "django.template.base.Template().render",
          "fastapi.templating.Jinja2Templates().TemplateResponse", "flask.url_for", "url_for", "django.urls.reverse", "werkzeug.utils.secure_filename",
          "secure_filename", "os.path.basename", "path.basename", "path.posix.basename", "path.win32.basename",
          "escape-html", "he.encode", "he.escape", "lodash.escape", "hono/html.html",  # (html`..${x}` escapes x)
          # SQL template tags that send each ${x} as a bound parameter (drizzle's sql.raw is not one of them)
          "drizzle-orm.sql", "kysely.sql", "slonik.sql", "@vercel/postgres.sql", "sql-template-strings",
          "sql-template-strings.SQL", "sql-template-tag", "sql-template-tag.default",
          # psycopg's composables quote what they wrap: an identifier ("order") or a literal ('x'), never SQL text;
          # a Placeholder's name becomes %(name)s (a name holding ')' is refused), never SQL text either
          "psycopg.sql.Identifier", "psycopg.sql.Literal", "psycopg2.sql.Identifier", "psycopg2.sql.Literal",
          "psycopg.sql.Placeholder", "psycopg2.sql.Placeholder",
          "_.escape", "sanitize-html", "xss", "DOMPurify.sanitize", "dompurify.sanitize", "isomorphic-dompurify.sanitize", "**.includes", "**.startswith", "**.endswith",
          "**.startsWith", "**.endsWith", "**.count", "**.find", "**.index", "**.indexOf", "builtins.repr",
          # parsed into a value that can only be an address or an id (ValueError otherwise)
          "ipaddress.ip_address", "ipaddress.ip_network", "ipaddress.ip_interface", "ipaddress.IPv4Address",
          "ipaddress.IPv6Address", "ipaddress.IPv4Network", "ipaddress.IPv6Network", "uuid.UUID",
          # signed by the server: a cookie or token that passes the check holds only what the server itself put
          # there (a forged or edited one raises); Fernet's decrypt is not here, it also hides code (`decoded`)
          "itsdangerous.*().loads", "itsdangerous.*().unsign", "django.core.signing.loads",
          "django.core.signing.*().unsign", "django.core.signing.*().unsign_object",
          # a stored record an ORM finds by a key from the request (Sequelize, Prisma, TypeORM, Mongoose): what it
          # holds was saved earlier, not sent by this client (`fetch(integration.endpoint)` after findOne by id)
          "**.findOne", "**.findById", "**.findByPk", "**.findUnique", "**.findFirst", "**.findOneBy",
          "**.findOneOrFail", "**.findUniqueOrThrow", "**.findFirstOrThrow")


_BY_LABEL = {label: pattern_regex(names) for label, names in SOURCES.items()}
_CLEARS = pattern_regex(CLEARS)


def labels_of(name: str | None) -> frozenset:
    """Labels a read of, or a call to, the canonical name `name` produces."""
    if not name:
        return frozenset()
    return _LABELS_OF(name)


# pure functions of a name or a constant text, asked again and again for the same few (a regex per label each time)
_LABELS_OF = PureMemo(lambda name: frozenset(label for label, regex in _BY_LABEL.items() if regex.match(name)))


def python_read(labels: frozenset, name: str) -> frozenset:
    """`labels_of` for a Python read: `ctx.params` / `ctx.query` are Koa's request (JavaScript); a Python `ctx` is
    click's or invoke's Context, whose params are the command line's options (dask distributed's --preload
    validation: `for name in ctx.params.get("preload")`), no web request."""
    if "request" in labels and name.startswith("ctx."):
        return labels - {"request"}
    return labels


def narrowed(labels: frozenset, name: str | None) -> frozenset:
    """One named variable read from the environment no longer carries the whole environment."""
    if "env" in labels and name and _BY_LABEL["env-var"].match(name):
        return (labels - {"env"}) | {"env-var"}
    return labels


_SECRET_NAME = re.compile(r"(?i)secret|token|passw|api_?key|access_?key|private_?key|credential|webhook|"
                          r"^(?:aws|gh|github|npm|pypi|slack|stripe|openai)_")
# GitHub Actions sets these GITHUB_* variables itself in every job: the run's public metadata (commit, ref, repository,
# run ids, actor, workspace paths), which logs and status pages show; named like a GitHub secret, they are not one
CI_METADATA = re.compile(
    r"(?i)GITHUB_(?:SHA|REF|REF_NAME|REF_TYPE|REF_PROTECTED|HEAD_REF|BASE_REF|REPOSITORY|REPOSITORY_OWNER|"
    r"REPOSITORY_ID|REPOSITORY_OWNER_ID|RUN_ID|RUN_NUMBER|RUN_ATTEMPT|WORKFLOW|WORKFLOW_REF|WORKFLOW_SHA|JOB|ACTION|"
    r"ACTION_PATH|ACTION_REF|ACTION_REPOSITORY|ACTIONS|ACTOR|ACTOR_ID|TRIGGERING_ACTOR|EVENT_NAME|EVENT_PATH|"
    r"WORKSPACE|SERVER_URL|API_URL|GRAPHQL_URL|OUTPUT|ENV|PATH|STATE|STEP_SUMMARY|RETENTION_DAYS)")


# a name that says it holds a password (CodeQL's sensitive-data heuristics work the same way): a parameter,
# variable, attribute or key named so is label `password` when its value is not known here
_PASSWORD_NAME = re.compile(r"(?i)passw(?:or)?d|passphrase|^pwd$|^pw$|_pwd$|^pwd_|^pass$|_pass$|^pw_|_pw$")
_PASSWORD = frozenset({"password"})


def password_named(value, name) -> object:
    """`value` with the `password` label when `name` says it holds a password and its value is not known."""
    if isinstance(name, str) and not value.known and "password" not in value.labels and \
            ("pass" in name or "pw" in name or "PASS" in name or "PW" in name or "Pass" in name or "Pw" in name) and \
            _PASSWORD_NAME.search(name):
        return type(value)(value.const, value.labels | _PASSWORD, value.name, value.via, value.trace, value.choices,
                       value.text)
    return value


_SECRET_WORD = re.compile(r"(?i)secret|token|passw|api_?key|access_?key|private_?key|credential|auth")
# the service a secret's name says it belongs to (label `secret-of-<service>`): a rule can then tell a token sent to
# its own service from one sent anywhere else
_SECRET_SERVICE = re.compile(
    r"(?i)^(?:(?P<github>GITHUB_|GH_)|(?P<npm>NPM_|NODE_AUTH_TOKEN$)|(?P<pypi>PYPI_|TWINE_)|(?P<aws>AWS_)|"
    r"(?P<gitlab>GITLAB_|CI_JOB_TOKEN$)|(?P<openai>OPENAI_)|(?P<anthropic>ANTHROPIC_)|(?P<slack>SLACK_)|"
    r"(?P<stripe>STRIPE_)|(?P<huggingface>HF_|HUGGING_?FACE_)|(?P<docker>DOCKER(?:HUB)?_)|(?P<azure>AZURE_|ARM_CLIENT_SECRET$)|"
    r"(?P<google>GOOGLE_|GCP_|GCLOUD_)|(?P<heroku>HEROKU_)|(?P<cloudflare>CLOUDFLARE_|CF_API_)|(?P<circleci>CIRCLE_?CI_)|"
    r"(?P<digitalocean>DIGITALOCEAN_)|(?P<twilio>TWILIO_)|(?P<sendgrid>SENDGRID_)|(?P<datadog>DD_|DATADOG_)|"
    r"(?P<sentry>SENTRY_)|(?P<vercel>VERCEL_)|(?P<netlify>NETLIFY_)|(?P<codecov>CODECOV_)|"
    r"(?P<telegram>TELEGRAM_|TG_BOT_))")


def secret_name_labels(labels: frozenset, key) -> frozenset:
    """An environment variable read by a name like a secret (GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY) is `secret` too,
    and `secret-of-<service>` when the name says whose secret it is."""
    if "env-var" in labels and isinstance(key, str) and _SECRET_NAME.search(key) and not CI_METADATA.fullmatch(key):
        found = _SECRET_SERVICE.match(key) if _SECRET_WORD.search(key) else None  # (not GITHUB_SHA)
        return labels | {"secret"} | ({f"secret-of-{found.lastgroup}"} if found else frozenset())
    return labels


def secret_key_labels(labels: frozenset, key) -> frozenset:
    """`secret_name_labels` for a key Value: its constant, or every name it may hold when it is one item of a
    constant list (`for name in ("HOME", "GITHUB_TOKEN"): os.environ.get(name)` reads a secret on one turn)."""
    if key.known:
        return secret_name_labels(labels, key.const)
    out = labels
    for choice in key.choices:
        if choice.known:
            out = out | secret_name_labels(labels, choice.const)
    return out


# header and option names that carry a credential to the service being called (requests/fetch/axios headers,
# axios `auth`): a secret there logs the client in, it is not the data sent
_AUTH_KEY = re.compile(r"(?i)^(?:authorization|proxy-authorization|x-api-key|api-key|x-auth-token|private-token|"
                       r"x-goog-api-key|x-github-token|x-npm-token|auth)$")


def authenticating(labels: frozenset, key) -> frozenset:
    """A secret stored under an Authorization-like key (`{"Authorization": "Bearer " + token}`) is `secret-auth`:
    still a secret, but used the way it is meant to be (sent to the service it logs in to)."""
    if "secret" not in labels or not isinstance(key, str) or not _AUTH_KEY.match(key):
        return labels
    return frozenset(lab for lab in labels if lab != "secret" and not lab.startswith("secret-of-")) | {"secret-auth"}


def clears(name: str | None) -> bool:
    return bool(name) and _CLEARED(name)


_CLEARED = PureMemo(lambda name: _CLEARS.match(name) is not None)
