"""Where data comes from, as data: canonical names whose value (read or call result) carries a label,
calls that clear labels, and string constants that name secret files and folders."""
from __future__ import annotations

import base64
import binascii
import re

from .host_data import PUBLIC_IP_LABEL, public_ip
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
          # psycopg's composables quote what they wrap: an identifier ("order") or a literal ('x'), never SQL text
          "psycopg.sql.Identifier", "psycopg.sql.Literal", "psycopg2.sql.Identifier", "psycopg2.sql.Literal",
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


# string constants that name credential, wallet and browser-profile files or folders (a browser wallet extension's
# storage is named by the extension's id under "Local Extension Settings")
CREDENTIAL_PATH = re.compile(
    r"(?i)(?:\.ssh(?:[/\\]|$)|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|\.aws[/\\]credentials|\.npmrc|\.pypirc|"
    r"(?:^|[/\\~])\.netrc|\.git-credentials|\.docker[/\\]config\.json|\.kube[/\\]config|\.gnupg|"
    r"wallet\.dat|nkbihfbeogaeaoehlefnkodbefgpgknn|ejbalbakoplchlghecdalmeeeajnimhm|bfnaelmomeimhlpmgjnjophhpkkoljpa|"
    r"hnfanknocfeofbddgcijnmhnfnkdnaad|fhbohimaelbohpjbbldcngcnapndodjp|ibnejdfjmmkpcnlpebklmnkoeoihofec|ethereum[/\\]keystore|\.config[/\\]gcloud|\.config[/\\]solana\b|"
    r"(?:^|[/\\])(?:\.config[/\\])?gh[/\\]hosts\.yml$|\.terraform\.d[/\\]credentials\.tfrc\.json$|"
    r"\.cargo[/\\]credentials(?:\.toml)?$|\.gem[/\\]credentials$|(?:^|[/\\])\.vault-token$|(?:^|[/\\])\.pgpass$|"
    r"\.azure[/\\](?:accessTokens\.json|msal_token_cache\.(?:json|bin))$|(?:^|[/\\])\.s3cfg$|"
    r"(?:^|/)(?:var/)?run/secrets/kubernetes\.io/serviceaccount(?:/token)?$|(?:^|/)serviceaccount/token$|"
    r"Library[/\\]Keychains(?:[/\\]|$)|\.keychain(?:-db)?$|"
    # Steam's sentry files (ssfn*) and saved logins: a stolen set signs in past Steam Guard
    r"(?:^|[/\\])ssfn[\w*?]*$|(?:^|[/\\])loginusers\.vdf$|"
    # shell and database client histories: the passwords and tokens typed on command lines
    r"(?:^|[/\\])\.(?:bash|zsh|sh|psql|mysql|rediscli|sqlite)_history$|"
    # game launchers' signed-in accounts (Minecraft) and rclone's cloud remotes (tokens, keys)
    r"(?:^|[/\\])launcher_accounts(?:_microsoft_store)?\.json$|(?:^|[/\\])rclone\.conf$|"
    # FTP/SFTP clients' saved servers and passwords (FileZilla, WinSCP)
    r"(?:^|[/\\])(?:sitemanager|recentservers|filezilla)\.xml$|(?:^|[/\\])winscp\.ini$|"
    r"/etc/shadow|[/\\](?:{w})(?:$|[/\\])|(?:^|[/\\])(?:{w})[/\\]|\.wallet$|"
    r"(?:^|[/\\])(?:logins\.json|key[34]\.db|cookies\.sqlite|signons\.sqlite)$|firefox[/\\]profiles|"
    r"^(?:exodus|electrum|metamask|solana|login data|local state|web data|atomic wallet|telegram desktop|\.aws|\.ssh|\.docker|\.kube|"
    r"local extension settings|local storage|discord(?:canary|ptb)?|lightcord|filezilla)$)"
    .replace("{w}", r"cookies|login data|local state|web data|leveldb|local storage|wallets?|exodus|electrum|"
             r"atomic|metamask|keystore|tdata|filezilla|telegram desktop|discord|\.aws|\.ssh|user data|"
             r"local extension settings|indexeddb"))
# a shell line that downloads code and runs it at once (`curl -s URL | sh`, PowerShell's `iex (iwr URL)`): text that,
# once it is in a crontab, a startup file or a command, runs whatever the server sends
FETCH_AND_RUN = re.compile(
    r"(?i)\b(?:curl|wget)\b[^\n|;]{0,300}\|\s*(?:sudo\s+)?(?:/usr)?(?:/bin/)?(?:ba|z|da|k)?sh\b"
    r"|\b(?:iex|invoke-expression)\b[^\n]{0,200}\b(?:iwr|invoke-webrequest|downloadstring|irm|invoke-restmethod)\b"
    r"|\b(?:iwr|invoke-webrequest|downloadstring|irm|invoke-restmethod)\b[^\n]{0,300}\|\s*(?:iex|invoke-expression)\b")
_FETCH_AND_RUN_LABEL = frozenset({"fetch-and-run"})
# text that names a cryptocurrency miner: a stratum pool URL, a known miner program, a miner's own option, a public
# mining pool's host, a stratum method, or a Monero wallet address (95 base58 characters starting 4)
MINER = re.compile(
    r"(?i)\bstratum\d?\+(?:tcp|ssl|tls|wss?)://"
    r"|(?<![\w.-])(?:xmrig(?:-notls|-cuda|-nvidia)?|xmr-stak(?:-rx|-cpu)?|cpuminer(?:-opt|-multi)?|minerd|cgminer|bfgminer|"
    r"ethminer|phoenixminer|nbminer|lolminer|teamredminer|nanominer|srbminer(?:-multi)?|ccminer|nheqminer|"
    r"kawpowminer)(?:\.exe)?(?![\w-])"
    r"|--donate-level\b|--cpu-max-threads-hint\b|--rig-id\b"
    r"|--(?:coin|algo)[= ](?:monero|xmr|rx/\w+|cn/\w+|randomx|cryptonight\S*|kawpow|ethash|etchash|autolykos2?)\b"
    r"|\b(?:minexmr|supportxmr|moneroocean|nanopool|hashvault|herominers|c3pool|2miners|f2pool|nicehash|minergate|"
    r"ethermine|unmineable|xmrpool|dwarfpool|viabtc|antpool|prohashing)\.(?:com|org|net|stream|pro|io|eu)\b"
    r"|\bmining\.(?:subscribe|authorize|submit)\b"
    r"|(?<![\w+/=])4[0-9AB][1-9A-HJ-NP-Za-km-z]{93}(?![\w+/=])")
_MINER_LABEL = frozenset({"miner"})
# the file of public keys sshd accepts for a login (planting a key there is persistence)
# files the interpreter runs at start: the `import` lines of a .pth file in site-packages, sitecustomize/usercustomize
PYTHON_STARTUP = re.compile(r"(?i)\.pth$|(?:^|[/\\])(?:site|user)customize\.py$")
# the folder whose every file IPython (and Jupyter's IPython kernel) runs at start
IPYTHON_STARTUP = re.compile(r"(?i)\.ipython[/\\]profile_[^/\\]+[/\\]startup(?:[/\\]|$)")
AUTHORIZED_KEYS = re.compile(r"(?:^|[/\\])authorized_keys2?$")
# the SSH client's configuration: its ProxyCommand / LocalCommand / Match exec lines run at every connection
SSH_CLIENT_CONFIG = re.compile(r"(?:^|[/\\])\.ssh[/\\]config$|(?:^|/)etc/ssh/ssh_config(?:\.d/[^/]*)?$")
# the files that decide who may become root: sudo's rules (and its drop-in folder), the account database
PRIVILEGE_FILE = re.compile(r"(?:^|/)etc/(?:sudoers(?:\.d(?:/[^/]*)?)?|passwd)$")
# a path (or the last piece of one) naming a file or folder the system runs at login, boot or on a schedule
STARTUP_FILE = re.compile(
    r"(?i)(?:^|[/\\])\.(?:bashrc|bash_profile|bash_login|zshrc|zprofile|zshenv|zlogin|profile|cshrc|tcshrc)$|"
    r"(?:^|/)etc/(?:profile|profile\.d(?:/.*)?|bash\.bashrc|rc\.local|crontab|cron\.(?:d|hourly|daily|weekly)(?:/.*)?|"
    r"environment|ld\.so\.preload|init\.d(?:/.*)?)$|(?:^|/)var/spool/cron(?:/.*)?$|\.config/autostart(?:/.*)?$|"
    r"Launch(?:Agents|Daemons)(?:/.*)?$|systemd/(?:system|user)(?:/.*)?$|Start Menu[/\\]Programs[/\\]Startup(?:[/\\].*)?$|"
    # fish's startup files, PowerShell's profile
    r"\.config/fish/(?:config\.fish|conf\.d(?:/.*)?)$|(?:^|[/\\])Microsoft\.PowerShell_profile\.ps1$")
# a Windows registry key whose values run at every logon (Run, RunOnce, policies' Run, Image File Execution Options)
AUTOSTART_KEY = re.compile(r"(?i)currentversion\\+(?:run|runonce|runservices|runservicesonce|policies\\+explorer\\+run)"
                           r"(?:\\|$)|image file execution options")
# network destinations that are chat bots / paste sites used as drop boxes
DROPBOX_URL = re.compile(
    r"(?i)discord(?:app)?\.com/api/webhooks|api\.telegram\.org/bot|hooks\.slack\.com|webhook\.site|"
    r"pastebin\.com|transfer\.sh|ngrok\.io|requestbin|pipedream\.net|burpcollaborator|oast\.|oastify\.com|interact\.sh|dnslog\.cn|ceye\.io")

_BY_LABEL = {label: pattern_regex(names) for label, names in SOURCES.items()}
_CLEARS = pattern_regex(CLEARS)


def labels_of(name: str | None) -> frozenset:
    """Labels a read of, or a call to, the canonical name `name` produces."""
    if not name:
        return frozenset()
    return _LABELS_OF(name)


# pure functions of a name or a constant text, asked again and again for the same few (a regex per label each time)
_LABELS_OF = PureMemo(lambda name: frozenset(label for label, regex in _BY_LABEL.items() if regex.match(name)))


def narrowed(labels: frozenset, name: str | None) -> frozenset:
    """One named variable read from the environment no longer carries the whole environment."""
    if "env" in labels and name and _BY_LABEL["env-var"].match(name):
        return (labels - {"env"}) | {"env-var"}
    return labels


_SECRET_NAME = re.compile(r"(?i)secret|token|passw|api_?key|access_?key|private_?key|credential|webhook|"
                          r"^(?:aws|gh|github|npm|pypi|slack|stripe|openai)_")


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
    if "env-var" in labels and isinstance(key, str) and _SECRET_NAME.search(key):
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


def constant_labels(value, depth: int = 0) -> frozenset:
    """Labels a constant carries by what it names (a path to a credential store; not a URL); a short list of
    such names carries theirs (`['.npmrc', '.ssh/id_rsa'].map(...)`, `for f in [...]`), also a list of path
    pieces per store (`[['Exodus', 'exodus.wallet'], ...]` spread into a join)."""
    if isinstance(value, (list, tuple)) and 0 < len(value) <= 64:
        return frozenset().union(*(constant_labels(item, depth + 1) for item in value
                                   if isinstance(item, str) or (depth < 2 and isinstance(item, (list, tuple)))),
                                 _encoded_argument(value))
    kind = type(value)
    if (kind is not str and kind is not bytes) or len(value) > 4096:  # (a longer text carries none: not kept)
        return _text_labels(value)
    return _CONSTANT_LABELS(value)


def _text_labels(value) -> frozenset:  # (kept per text by _CONSTANT_LABELS, below)
    """constant_labels of one value that is no short list or tuple (a text, bytes, anything else)."""
    if isinstance(value, bytes) and 3 <= len(value) <= 4096:  # b'{"method": "mining.subscribe"...}' sent to a pool
        return _MINER_LABEL if MINER.search(value.decode("latin-1")) else frozenset()
    if not isinstance(value, str) or not 3 <= len(value) <= 4096:
        return frozenset()
    mined = _MINER_LABEL if MINER.search(value) else frozenset()  # a pool URL, a miner's name, option or wallet
    if ("owe" in value or "OWE" in value or "wsh" in value or "WSH" in value) and len(value) > 24:
        hidden = encoded_powershell(value)  # powershell -Enc <UTF-16LE base64>: what it runs, read like any text
        if hidden:  # (a file downloaded then started is the same cradle in two statements)
            mined = mined | _text_labels(hidden) | (_FETCH_AND_RUN_LABEL if _PS_DROPPER.search(hidden) else frozenset())
    if value[:1].isdigit() or value[:4].lower() in ("http", "ws:/", "wss:", "ftp:", "tcp:", "udp:"):
        mined = mined | (PUBLIC_IP_LABEL if public_ip(value) else frozenset())
    if "://" in value or "?" in value:  # a URL: it names no local store; it may be a line that fetches and runs code
        return mined | (_FETCH_AND_RUN_LABEL if ("curl" in value or "wget" in value or "iex" in value.lower()) and
                        FETCH_AND_RUN.search(value) else frozenset())
    labels = mined | (frozenset({"credential-file"}) if CREDENTIAL_PATH.search(value) else frozenset())
    if AUTHORIZED_KEYS.search(value):  # a path piece naming the SSH login keys file, kept through joins
        labels |= {"authorized-keys"}
    if "ssh" in value and SSH_CLIENT_CONFIG.search(value):  # ~/.ssh/config, /etc/ssh/ssh_config
        labels |= {"ssh-config"}
    if PRIVILEGE_FILE.search(value):  # /etc/sudoers, /etc/sudoers.d/<file>, /etc/passwd
        labels |= {"privilege-file"}
    if STARTUP_FILE.search(value):  # ~/.bashrc, LaunchAgents/..., systemd/user/...: run at login or boot
        labels |= {"startup-file"}
    if "\\" in value and AUTOSTART_KEY.search(value):  # Software\Microsoft\Windows\CurrentVersion\Run
        labels |= {"autostart-key"}
    if PYTHON_STARTUP.search(value):  # a .pth file, sitecustomize.py: run by every Python that starts
        labels |= {"python-startup"}
    if value[:1] in "#.[iIsSfFtT \t":  # a selector of a secret form field (`#cc-number`, `input[name=cvc]`)
        labels |= selector_labels(value)
    if IPYTHON_STARTUP.search(value):  # ~/.ipython/profile_default/startup/...: run by every IPython that starts
        labels |= {"ipython-startup"}
    return labels


_CONSTANT_LABELS = PureMemo(_text_labels)
# PowerShell started with -EncodedCommand (any unambiguous prefix: -e, -ec, -enc, -encodedcommand) and a literal
# base64 argument: the command it runs is UTF-16LE text
_PS_ENCODED = re.compile(r"(?i)\b(?:powershell|pwsh)(?:\.exe)?\b[^\n]{0,200}?\s[-/](?:e|ec|en|enc|enco|encod|encode|encoded|"
                         r"encodedc\w*)\s+['\"]?([A-Za-z0-9+/]{16,}={0,2})")

_PS_DROPPER = re.compile(r"(?i)\b(?:downloadfile|invoke-webrequest|iwr|start-bitstransfer|wget|curl)\b[^\n]{0,300}?"
                         r"\b(?:start-process|saps|invoke-item|start)\b")


_ENCODED_FLAG = frozenset(("-e", "-ec", "-en", "-enc", "-enco", "-encod", "-encode", "-encoded", "-encodedcommand",
                           "/e", "/ec", "/enc", "/encodedcommand"))


def encoded_powershell(value: str) -> str | None:
    """The command of `powershell -EncodedCommand <base64>` in `value`, decoded; None when there is none."""
    found = _PS_ENCODED.search(value)
    return None if found is None else _utf16_base64(found.group(1))


def _utf16_base64(data: str) -> str | None:
    """`data` read as base64 of UTF-16LE text in the ASCII range (what -EncodedCommand takes), else None."""
    try:
        raw = base64.b64decode(data + "=" * (-len(data) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) < 8 or len(raw) % 2 or any(raw[1::2]):
        return None
    text = raw[::2].decode("ascii", "replace")
    return text if text.replace("\n", " ").replace("\r", " ").replace("\t", " ").isprintable() else None


def _encoded_argument(items) -> frozenset:
    """An argument list `[..., '-EncodedCommand', '<base64>']`: the labels of the command it encodes."""
    for at, item in enumerate(items[:-1]):
        if type(item) is str and 1 < len(item) < 16 and item[0] in "-/" and item.lower() in _ENCODED_FLAG and \
                isinstance(items[at + 1], str) and len(items[at + 1]) > 16:
            hidden = _utf16_base64(items[at + 1])
            if hidden:
                return _text_labels(hidden) | (_FETCH_AND_RUN_LABEL if _PS_DROPPER.search(hidden) else frozenset())
    return frozenset()
# selectors and ids of the fields a card skimmer reads ([name=cardnumber], #cc-number, input[type=password], ...)
FIELD = re.compile(r"(?i)card[\s_-]?(?:num|no\b)|\bcc[\s_-]?(?:num|no\b|exp|csc|cvv)|credit[\s_-]?card|\bcvv2?\b|\bcvc\b|"
                   r"\bcsc\b|security[\s_-]?code|\bexp(?:iry|iration)?[\s_-]?(?:date|month|year)\b|type\s*=\s*['\"]?password|"
                   r"\bpassw(?:or)?d\b|\bpasswd\b")
# a CSS selector (an id, a class, an attribute test, an input/form tag) naming such a field, or a checkout/payment form:
# the element it finds holds what the customer types, also when a helper is given the selector (`val('#cvc')`)
_SELECTOR = re.compile(r"(?i)^\s*(?:(?:input|select|form|textarea)\b|[#.\[])[^\n{};]{0,200}$")
_PAY_FORM = re.compile(r"(?i)\bform\b[^,]{0,80}?(?:checkout|payment|billing)")
_FORM_SECRET_LABEL = frozenset({"form-secret"})


def selector_labels(value: str) -> frozenset:
    """`form-secret` for a selector naming a card, security-code, expiry or password field, or a payment form."""
    if _SELECTOR.match(value) and (FIELD.search(value) or _PAY_FORM.search(value)):
        return _FORM_SECRET_LABEL
    return frozenset()


# a cloud metadata service's address that answers with the machine role's temporary keys (AWS IMDS, GCP, Azure);
# AWS's bare `security-credentials/` answers with the role's name only
CLOUD_CREDENTIALS_URL = re.compile(
    r"(?i)(?:169\.254\.169\.254|\[?fd00:ec2::254\]?)/(?:latest|\d{4}-\d\d-\d\d)/meta-data/iam/security-credentials/[^/?#\s]"
    r"|metadata(?:\.google\.internal)?/computeMetadata/v1/instance/service-accounts/[^/]+/(?:token|identity)"
    r"|169\.254\.169\.254/metadata/identity/oauth2/token|169\.254\.170\.2/v2/credentials")


def cloud_credentials_url(value) -> bool:
    """The URL (known, or known in part) asks a cloud metadata service for the machine's credentials."""
    text = value.const if isinstance(value.const, str) else value.text
    return isinstance(text, str) and CLOUD_CREDENTIALS_URL.search(text) is not None

