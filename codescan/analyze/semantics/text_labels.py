"""What a constant text names, as labels: credential, wallet and browser-profile paths, startup files and autostart
keys, miners' pools, fetch-and-run command lines, PowerShell's encoded commands, card-form selectors and cloud
metadata addresses (the labels a string carries whatever the code does with it)."""
from __future__ import annotations

import base64
import binascii
import re

from .host_data import PUBLIC_IP_LABEL, public_ip
from .pure_memo import PureMemo

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
    # a public key (`~/.ssh/id_ed25519.pub`) is the half of a key pair meant to be handed out: not a secret
    labels = mined | (frozenset({"credential-file"}) if CREDENTIAL_PATH.search(value) and
                      not value.endswith(".pub") else frozenset())
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


# a parameter placeholder standing for the field a caller names when the helper builds the selector around it
# (`form.querySelector('[name="' + name + '"]').value`, then `field('cc-number')`): `param:<def>:<i>:field`
FIELD_ONLY = ":field"


def field_part(given):
    """A caller's argument put in a `:field` placeholder: `form-secret` when the name it passes (or one of the names
    a constant list gives it) is a card, security-code, expiry or password field's, else nothing."""
    names = [given.const] if isinstance(given.const, str) else [c.const for c in given.choices[:16]]
    hit = any(isinstance(n, str) and FIELD.search(n) for n in names)
    return type(given)(labels=_FORM_SECRET_LABEL, trace=given.trace) if hit else type(given)()


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

