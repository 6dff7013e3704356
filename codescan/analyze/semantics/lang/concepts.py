"""Concepts the Go/Java/Kotlin/C#/C/C++/PHP/Ruby/shell adapters share: which canonical callees are sources
(env, network, request, file, secret), decoders and flow blockers. Data, not code: a new framework adds rows."""
from __future__ import annotations

import re

from ..names import pattern_regex
from ..sources import CI_METADATA

# canonical callee pattern -> labels of the data it returns
SOURCES: dict[str, tuple[str, ...]] = {
    # process environment
    "os.Getenv": ("env-var",), "os.LookupEnv": ("env-var",), "os.Environ": ("env",), "syscall.Getenv": ("env-var",),
    "java.lang.System.getenv": ("env-var",), "java.lang.System.getProperty": ("env-var",),
    "System.Environment.GetEnvironmentVariable": ("env-var",),
    "System.Environment.GetEnvironmentVariables": ("env",),
    "libc.getenv": ("env-var",), "libc.secure_getenv": ("env-var",),
    "php.getenv": ("env-var",), "ENV.fetch": ("env-var",), "ENV.to_h": ("env",), "ENV.to_a": ("env",),
    "shell.env": ("env",), "shell.printenv": ("env",), "shell.set": ("env",),
    # network reads
    "net/http.Get": ("network",), "net/http.Post": ("network",), "net/http.PostForm": ("network",),
    "net/http.Head": ("network",), "net/http.Client.Do": ("network",), "net/http.Client.Get": ("network",),
    "net/http.DefaultClient.Get": ("network",), "net/http.DefaultClient.Do": ("network",),
    "net.Dial": ("network",), "net.DialTimeout": ("network",), "net.Conn.Read": ("network",),
    "java.net.URL.openStream": ("network",), "java.net.URL.openConnection": ("network",),
    "java.net.URLConnection.getInputStream": ("network",), "java.net.HttpURLConnection.getInputStream": ("network",),
    "java.net.Socket.getInputStream": ("network",), "java.net.http.HttpClient.send": ("network",),
    "java.net.Socket": ("network",),
    "System.Net.WebClient.DownloadString": ("network",), "System.Net.WebClient.DownloadData": ("network",),
    "System.Net.WebClient.OpenRead": ("network",), "System.Net.Http.HttpClient.GetStringAsync": ("network",),
    "System.Net.Http.HttpClient.GetByteArrayAsync": ("network",), "System.Net.Http.HttpClient.GetAsync": ("network",),
    "System.Net.Http.HttpClient.GetStreamAsync": ("network",),
    "System.Net.Sockets.TcpClient.GetStream": ("network",),
    "libc.recv": ("network",), "libc.recvfrom": ("network",), "libc.curl_easy_perform": ("network",),
    "php.file_get_contents": ("file",), "php.curl_exec": ("network",), "php.fsockopen": ("network",),
    "php.stream_socket_client": ("network",), "php.fgets": ("file",), "php.fread": ("file",),
    "php.file": ("file",), "php.readfile": ("file",),
    # filter_input(INPUT_GET|INPUT_POST|INPUT_COOKIE|INPUT_SERVER, name): the request, filtered or not (FILTER_UNSAFE_RAW
    # and the default filter keep shell and SQL metacharacters)
    "php.filter_input": ("request",), "php.filter_input_array": ("request",),
    "Net.HTTP.get": ("network",), "Net.HTTP.get_response": ("network",), "Net.HTTP.post": ("network",),
    "URI.open": ("network",), "Kernel.open": ("file",), "OpenURI.open_uri": ("network",),
    "TCPSocket.new": ("network",), "TCPSocket.open": ("network",), "Socket.tcp": ("network",), "Faraday.get": ("network",),
    "HTTParty.get": ("network",), "RestClient.get": ("network",),
    "shell.curl": ("network",), "shell.wget": ("network",), "shell.nc": ("network",), "shell.ncat": ("network",),
    "shell.fetch": ("network",),
    # files
    "os.ReadFile": ("file",), "io/ioutil.ReadFile": ("file",), "os.Open": ("file",),
    "java.nio.file.Files.readAllBytes": ("file",), "java.nio.file.Files.readString": ("file",),
    "java.io.FileInputStream": ("file",), "java.io.FileReader": ("file",),
    "System.IO.File.ReadAllText": ("file",), "System.IO.File.ReadAllBytes": ("file",),
    "libc.fopen": ("file",), "libc.fread": ("file",), "libc.fgets": ("file",),
    "File.read": ("file",), "IO.read": ("file",), "File.open": ("file",),
    "shell.cat": ("file",),
    # host identity (host name, login name): sent out, a beacon of where the code runs
    "os.Hostname": ("host-identity",), "os/user.Current": ("host-identity", "user-identity"),
    "os/user.Current().Username": ("host-identity", "user-identity"),
    "java.net.InetAddress.getLocalHost": ("host-identity",), "InetAddress.getLocalHost": ("host-identity",),
    "php.gethostname": ("host-identity",), "php.php_uname": ("host-identity",),
    "php.get_current_user": ("host-identity", "user-identity"), "Socket.gethostname": ("host-identity",),
    "Etc.getlogin": ("host-identity", "user-identity"), "Etc.getpwuid": ("host-identity", "user-identity"),
    "shell.hostname": ("host-identity",), "shell.uname": ("host-identity",),
    "shell.whoami": ("host-identity", "user-identity"), "shell.id": ("host-identity", "user-identity"),
    "libc.gethostname": ("host-identity",), "libc.getdomainname": ("host-identity",), "libc.uname": ("host-identity",),
    "libc.getlogin": ("host-identity", "user-identity"), "libc.cuserid": ("host-identity", "user-identity"),
    "libc.getpwuid": ("host-identity", "user-identity"),
    # Rust (lang/rust_names.py): environment, responses and streams, files, host identity
    "std.env.var": ("env-var",), "std.env.var_os": ("env-var",), "std.env.vars": ("env",), "std.env.vars_os": ("env",),
    "dotenv.var": ("env-var",), "dotenvy.var": ("env-var",), "dotenv.vars": ("env",), "dotenvy.vars": ("env",),
    "reqwest.get": ("network",), "reqwest.blocking.get": ("network",), "reqwest.RequestBuilder.send": ("network",),
    "ureq.Request.call": ("network",), "ureq.Request.send_*": ("network",), "ureq.get": ("network",),
    "std.net.TcpStream.connect": ("network",), "std.net.TcpStream.connect_timeout": ("network",),
    "hyper.Client.get": ("network",), "hyper.Client.request": ("network",), "*.send_request": ("network",),
    "std.net.UdpSocket.recv_from": ("network",), "std.net.UdpSocket.recv": ("network",),
    "std.fs.read_to_string": ("file",), "std.fs.read": ("file",), "std.fs.File.open": ("file",),
    "hostname.get": ("host-identity",), "gethostname.gethostname": ("host-identity",),
    "whoami.hostname": ("host-identity",), "whoami.devicename": ("host-identity",),
    "whoami.fallible.hostname": ("host-identity",), "whoami.username": ("host-identity", "user-identity"),
    "whoami.realname": ("host-identity", "user-identity"), "whoami.fallible.username": ("host-identity", "user-identity"),
    "sys_info.hostname": ("host-identity",), "nix.unistd.gethostname": ("host-identity",),
    "users.get_current_username": ("host-identity", "user-identity"),
    # request input of web frameworks (methods on request objects)
    "javax.servlet.http.HttpServletRequest.*": ("request",),
    "jakarta.servlet.http.HttpServletRequest.*": ("request",),
    "net/http.Request.*": ("request",),
    # C++ cpp-httplib: req.get_param_value("q"), req.get_header_value("X"), req.get_file_value("f")
    "*.get_param_value": ("request",), "*.get_header_value": ("request",), "*.get_file_value": ("request",),
}
# Callees whose result is their (first) argument decoded; the label `decoded` is added.
DECODERS: dict[str, str] = {
    "encoding/base64.StdEncoding.DecodeString": "base64", "encoding/base64.URLEncoding.DecodeString": "base64",
    "encoding/base64.RawStdEncoding.DecodeString": "base64", "encoding/base64.RawURLEncoding.DecodeString": "base64",
    "encoding/hex.DecodeString": "hex",
    "java.util.Base64.Decoder.decode": "base64", "java.util.Base64.getDecoder.decode": "base64",
    "java.util.Base64.getMimeDecoder.decode": "base64", "javax.xml.bind.DatatypeConverter.parseBase64Binary": "base64",
    "org.apache.commons.codec.binary.Base64.decodeBase64": "base64",
    "System.Convert.FromBase64String": "base64",
    "php.base64_decode": "base64", "php.hex2bin": "hex", "php.str_rot13": "rot13", "php.gzinflate": "zlib",
    "php.gzuncompress": "zlib", "php.gzdecode": "zlib", "php.convert_uudecode": "uu", "php.strrev": "reverse",
    "Base64.decode64": "base64", "Base64.strict_decode64": "base64", "Base64.urlsafe_decode64": "base64",
    "Zlib.Inflate.inflate": "zlib",
    "shell.base64": "base64", "shell.xxd": "hex", "shell.openssl": "base64",
}
# Calls that write a file: callee -> (path argument, data argument or -1 for "fetched from the network").
FILE_WRITERS: dict[str, tuple[int, int]] = {
    "os.WriteFile": (0, 1), "io/ioutil.WriteFile": (0, 1), "java.nio.file.Files.write": (0, 1),
    "java.nio.file.Files.writeString": (0, 1), "java.nio.file.Files.copy": (1, 0),
    "System.IO.File.WriteAllBytes": (0, 1), "System.IO.File.WriteAllText": (0, 1),
    "System.IO.File.WriteAllBytesAsync": (0, 1), "System.IO.File.WriteAllTextAsync": (0, 1),
    "System.Net.WebClient.DownloadFile": (1, -1), "*.DownloadFile": (1, -1), "libc.URLDownloadToFileA": (2, -1),
    "libc.URLDownloadToFileW": (2, -1), "libc.URLDownloadToFile": (2, -1),
    "php.file_put_contents": (0, 1), "php.copy": (1, 0), "File.write": (0, 1), "File.binwrite": (0, 1),
    "IO.write": (0, 1), "IO.copy_stream": (1, 0), "std.fs.write": (0, 1), "std.fs.copy": (1, 0),
}
# Calls whose result does not carry their arguments' data (sizes, tests, comparisons).
BLOCKERS = frozenset("""
len cap size length count Count Length equals Equals equalsIgnoreCase contains Contains startsWith StartsWith
endsWith EndsWith HasPrefix HasSuffix isEmpty IsNullOrEmpty strlen strcmp strncmp hashCode GetHashCode
isset empty is_null is_string strpos preg_match in_array nil? empty? include? start_with? end_with? exists
Exists IsExist IsNotExist indexOf IndexOf Index Compare compareTo
to_i to_f to_r Integer Float intval floatval parseInt parseLong parseDouble Atoi ParseInt ParseUint ParseFloat
""".split())  # the last line: numeric conversions (Integer(params[:id]), .to_i, intval, Atoi) leave no text to inject
# Shell quoting: the data still reaches the command (a quoted downloaded script still runs), but it cannot
# inject more commands; such values carry the label `shell-escaped`.
ESCAPERS = frozenset(("escapeshellarg", "escapeshellcmd", "shellescape", "shell_escape", "escape_shell_arg",
                      "Shellwords.escape", "Shellwords.shellescape"))
# Calls whose first argument is a context or a connection, not the data (ctx, link): it is dropped, so
# the SQL text of db.QueryContext(ctx, q) and mysqli_query($link, $q) is argument 0 as everywhere else.
LEADING_HANDLE = frozenset(("php.mysqli_query", "php.pg_query", "php.mysqli_real_query", "php.mysqli_multi_query",
                            "php.create_function"))  # create_function($params, $code): the code is what runs
LEADING_HANDLE_SUFFIX = ("QueryContext", "ExecContext", "QueryRowContext", "PrepareContext")
# Command calls whose later arguments are not the command (Runtime.exec's envp and dir, PHP exec's output
# array, proc_open's pipes): only the first stays positional, the rest become keywords arg1, arg2...
FIRST_ARG_ONLY = frozenset(("java.lang.Runtime.exec", "php.exec", "php.proc_open", "php.popen", "php.system",
                            "php.passthru", "php.shell_exec", "libc.system", "libc.popen", "libc._popen",
                            "Kernel.backtick", "IO.popen"))

# Methods that read the network whatever their receiver's type is (the type is often `var`/inferred).
NETWORK_METHODS = frozenset(("DownloadString", "DownloadData", "DownloadStringTaskAsync", "DownloadDataTaskAsync",
                             "GetStringAsync", "GetByteArrayAsync", "GetStreamAsync", "openStream",
                             "getInputStream", "UploadString", "readText", "GetResponseStream", "ReadAsStreamAsync",
                             "ReadAsByteArrayAsync", "OpenReadTaskAsync"))
# Methods that read web request input whatever their receiver's type is (a handler's untyped `req`).
REQUEST_METHODS = frozenset(("FormValue", "PostFormValue", "FormFile", "getParameter", "getParameterValues",
                             "getParameterMap", "getQueryString", "getHeader", "getCookies",
                             "getReader", "getPathInfo", "getRequestURI"))
_SOURCE_RE = {p: pattern_regex([p]) for p in SOURCES}
SECRET_NAME = re.compile(r"(?i)(secret|token|passw|passwd|api_?key|access_?key|private_?key|credential|auth|session"
                         r"|aws_|gh_|github_|npm_|slack|stripe|openai)")
SECRET_PATH = re.compile(r"(?i)(\.ssh\b|id_rsa|id_ed25519|\.aws/credentials|\.npmrc|\.pypirc|\.netrc|\.docker/config"
                         r"|\.kube/config|\.git-credentials|/etc/shadow|\.gnupg|wallet|keychain|\.env\b|Login Data"
                         r"|cookies\.sqlite)")


def source_labels(callee: str | None) -> tuple[str, ...]:
    if not callee:
        return ()
    hit = SOURCES.get(callee)
    if hit is not None:
        return hit
    if callee.startswith("*.") and callee[2:] in NETWORK_METHODS:
        return ("network",)
    if callee.startswith("*.") and callee[2:] in REQUEST_METHODS:
        return ("request",)
    for pattern, regex in _SOURCE_RE.items():
        if "*" in pattern and regex.match(callee):
            return SOURCES[pattern]
    return ()


def env_labels(name: object) -> tuple[str, ...]:
    """Labels of one environment variable read by name (`env-var`), `secret` too when it is named like one;
    with no name (`System.getenv()`), the whole environment (`env`)."""
    if name is None:
        return ("env",)
    if isinstance(name, str) and CGI_REQUEST.match(name):
        return ("env-var", "request")  # a CGI program's request: the query, path, cookies and headers the client sent
    if isinstance(name, str) and SECRET_NAME.search(name) and not CI_METADATA.fullmatch(name):
        return ("env-var", "secret")
    return ("env-var",)


# CGI (RFC 3875) puts the client's request in the environment: QUERY_STRING, the path, and each header as HTTP_<NAME>
# (HTTP_PROXY is the machine's proxy setting, not a header)
CGI_REQUEST = re.compile(r"(?:QUERY_STRING|REQUEST_URI|PATH_INFO|PATH_TRANSLATED|HTTP_(?!PROXY$)[A-Z0-9_]+)$")


# labels that say what a path names (not what the file holds): dropped from the data read from it
NAME_LABELS = frozenset({"startup-file"})


def path_labels(path: object) -> tuple[str, ...]:
    """Labels of data read from a file path: `secret` when it is a credential store."""
    if isinstance(path, str) and SECRET_PATH.search(path):
        return ("file", "credential-file")
    if isinstance(path, str) and re.match(r"(?i)https?://|ftp://", path):
        return ("network",)
    return ("file",)


# a name that starts like a password but names something about it (passwordResetUrl, password_policy, pwdHash,
# passwordLength): not the password itself
NOT_A_PASSWORD = re.compile(r"(?i)(?:passw(?:or)?d|passphrase|pwd|pass)_?(?:reset|url|uri|link|polic|hint|length|len\b|"
                            r"size|field|label|prompt|expir|change|required|rule|regex|pattern|file|path|dir|page|form|"
                            r"id\b|count|attempt|strength|hash|digest|salt|encrypt|enc\b|manager|store|service|"
                            r"validator|encoder|config|setting|flag|enabled|visible|date|time|version)")
