"""The host's own data in the shapes malware gives it: identity commands' output, escaped copies, and destinations
written as public IP addresses (used by `sources` and the Python and JavaScript call evaluators)."""
from __future__ import annotations

import re

# a URL or host written as a public IPv4 address (`http://45.9.148.3/c`, `{host: "45.9.148.3"}`): a destination no
# domain names, as collection and command-and-control endpoints are; loopback, private, link-local, shared (CGNAT),
# multicast and reserved ranges are not public
_IPV4_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^/@\s]*@)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?::\d{1,5})?"
                        r"(?:[/?#]|$)", re.I)
PUBLIC_IP_LABEL = frozenset({"public-ip"})


def public_ip(text: str) -> bool:
    """`text` is a URL or host whose host is a public IPv4 address."""
    found = _IPV4_HOST.match(text)
    if found is None:
        return False
    a, b, c, d = (int(x) for x in found.groups())
    if max(a, b, c, d) > 255 or a in (0, 10, 127) or a >= 224 or (a, b) in ((169, 254), (192, 168)) or \
            (a == 172 and 16 <= b <= 31) or (a == 100 and 64 <= b <= 127) or (a, b, c) in ((192, 0, 2),
                                                                                        (198, 51, 100), (203, 0, 113)):
        return False
    return True


# calls whose result is what a command printed, and the commands that print who and where the process runs:
# `subprocess.check_output(["whoami"])`, `os.popen("hostname").read()`, `execSync("whoami")` read the host identity
# as `getpass.getuser()` / `os.hostname()` do
_COMMAND_OUTPUT = frozenset({"subprocess.check_output", "subprocess.getoutput", "subprocess.getstatusoutput",
                             "subprocess.run", "os.popen", "commands.getoutput", "child_process.execSync",
                             "child_process.execFileSync", "child_process.spawnSync"})
_USER_COMMAND = re.compile(r"^\s*(?:whoami|logname|id(?:\s+-u?n[u]?)?|echo\s+%username%|echo\s+\$(?:USER|LOGNAME))\s*$",
                           re.I)
_HOST_COMMAND = re.compile(r"^\s*(?:hostname(?:\s+-[a-z]+)?|uname(?:\s+-[a-z]+)*|ipconfig(?:\s+/all)?|ifconfig|"
                           r"ip\s+a(?:ddr)?|cat\s+/etc/hostname|echo\s+%computername%|systeminfo)\s*$", re.I)


# commands that print a stored credential: a package registry's or a CLI's saved token, a cloud key, a keychain
# password, a credential file's contents (`execSync('npm config get <registry>/:_authToken')`)
_SECRET_COMMAND = re.compile(
    r"^\s*(?:npm\s+config\s+get\s+\S*(?:_authToken|_auth|_password)\b|npm\s+token\s+list|yarn\s+config\s+get\s+\S*"
    r"(?:npmAuthToken|_authToken)|gh\s+auth\s+token|gcloud\s+auth\s+(?:application-default\s+)?print-(?:access|identity)"
    r"-token|aws\s+configure\s+get\s+(?:aws_secret_access_key|aws_access_key_id|aws_session_token)|az\s+account\s+"
    r"get-access-token|heroku\s+auth:token|git\s+config\s+(?:--global\s+)?(?:--get\s+)?\S*(?:token|password)\b|"
    r"git\s+credential\s+fill|security\s+find-(?:generic|internet)-password\b.*\s-w\b|"
    r"(?:cat|type)\s+(?:~|\$HOME|%USERPROFILE%)[/\\](?:\.npmrc|\.netrc|\.git-credentials|\.pypirc|\.aws[/\\]credentials|"
    r"\.docker[/\\]config\.json|\.ssh[/\\]id_\w+))\s*(?:2>\s*/dev/null\s*)?$", re.I)
MAX_COMMAND = 160


def command_output_labels(name: str | None, command) -> frozenset:
    """Labels of what a constant identity or credential command prints, when `name` returns a command's output."""
    if name not in _COMMAND_OUTPUT:
        return frozenset()
    if isinstance(command, (list, tuple)) and all(isinstance(part, str) for part in command):
        command = " ".join(command)
    if not isinstance(command, str) or len(command) > MAX_COMMAND:
        return frozenset()
    if _SECRET_COMMAND.match(command):
        return frozenset({"credential-file"})
    if len(command) > 64:
        return frozenset()
    if _USER_COMMAND.match(command):
        return frozenset({"host-identity", "user-identity"})
    return frozenset({"host-identity"}) if _HOST_COMMAND.match(command) else frozenset()


# clearing calls that quote or escape their input for one context (a shell word, a URL, HTML, a regex, a literal):
# no longer an injection, but the same content, so the host's own data (`HOST_DATA`) is still that data when sent
_ESCAPES = re.compile(r"^(?:shlex\.quote|pipes\.quote|re\.escape|html\.escape|markupsafe\.escape|builtins\.repr|"
                      r"encodeURIComponent|encodeURI|escape|validator\.escape)$")
HOST_DATA = frozenset({"env", "env-var", "secret", "host-identity", "user-identity", "credential-file",
                       "form-secret", "password"})  # form-secret: a page's card or password field (lang/js_dom)


def escapes(name: str | None) -> bool:
    """A clearing call that still returns its input's content, quoted or escaped (`encodeURIComponent(token)`)."""
    return bool(name) and _ESCAPES.match(name) is not None


HOST_ONLY = ":host"  # a parameter placeholder standing for only the host data a caller passes (`param:<def>:<i>:host`)


def host_held(labels) -> frozenset:
    """What an escaping call keeps of its input's labels: the host's data, and each parameter placeholder marked to
    stand for the host data a caller passes (`function send(d) { img.src = u + encodeURIComponent(d) }`)."""
    return (labels & HOST_DATA) | frozenset(lab if lab.endswith(HOST_ONLY) else lab + HOST_ONLY for lab in labels
                                            if lab.startswith("param:") and not lab.endswith(":client"))


def host_part(given):
    """A caller's argument put in a `:host` placeholder: only its host data (and its own placeholders, still
    `:host`)."""
    labels = host_held(given.labels)
    return type(given)(given.const, labels, None, None, given.trace if labels else ())
