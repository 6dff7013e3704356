"""Canonical names for Go/Java/Kotlin/C#/C/C++: imports, well-known classes, what calls return (types)."""
from __future__ import annotations

# Java/Kotlin classes codescan reasons about, by simple name (used when no import names them).
JAVA_CLASSES = {name.rsplit(".", 1)[-1]: name for name in """
java.lang.Runtime java.lang.ProcessBuilder java.lang.System java.lang.Class java.lang.Thread java.lang.String
java.lang.StringBuilder java.lang.StringBuffer java.lang.Process java.lang.ClassLoader
java.net.URL java.net.URI java.net.URLConnection java.net.HttpURLConnection java.net.Socket java.net.ServerSocket
java.net.http.HttpClient java.net.http.HttpRequest java.util.Base64 java.util.Scanner
javax.crypto.Cipher javax.crypto.spec.SecretKeySpec javax.crypto.spec.IvParameterSpec javax.crypto.spec.GCMParameterSpec java.security.MessageDigest
java.security.SecureRandom java.util.Random javax.script.ScriptEngineManager java.io.ObjectInputStream
java.io.FileInputStream java.io.FileReader java.io.BufferedReader java.io.InputStreamReader java.io.OutputStream
java.io.DataOutputStream java.io.PrintWriter java.nio.file.Files java.nio.file.Paths java.lang.reflect.Method
javax.servlet.http.HttpServletRequest javax.net.ssl.HttpsURLConnection javax.net.ssl.SSLContext
org.apache.commons.codec.binary.Base64 javax.xml.bind.DatatypeConverter
""".split()}
# C# types by simple name (when no `using` is needed to find them).
CSHARP_CLASSES = {name.rsplit(".", 1)[-1]: name for name in """
System.Diagnostics.Process System.Diagnostics.ProcessStartInfo System.Net.WebClient System.Net.Http.HttpClient
System.Net.Sockets.TcpClient System.Net.Sockets.Socket System.Net.Sockets.NetworkStream System.Convert
System.Environment System.Reflection.Assembly System.Type System.Activator System.IO.File System.IO.StreamReader
System.IO.StreamWriter System.Text.Encoding System.Security.Cryptography.MD5 System.Security.Cryptography.SHA1
System.Security.Cryptography.DES System.Security.Cryptography.TripleDES System.Security.Cryptography.RC2
System.Security.Cryptography.Aes System.Security.Cryptography.HashAlgorithm
System.Security.Cryptography.SymmetricAlgorithm System.Net.ServicePointManager System.Net.WebRequest
System.Net.HttpWebRequest System.String
""".split()}
CSHARP_CLASSES["string"] = "System.String"
# C/C++ library functions named libc.<name> (POSIX and Windows process/network/file calls included).
LIBC = frozenset("""
system popen _popen wpopen _wpopen execl execlp execle execv execvp execvpe execve fexecve posix_spawn posix_spawnp
WinExec ShellExecuteA ShellExecuteW ShellExecute ShellExecuteExA CreateProcessA CreateProcessW CreateProcess
getenv secure_getenv _wgetenv recv recvfrom read fread fgets fopen open creat connect socket send sendto write dlopen dlsym
LoadLibraryA LoadLibraryW curl_easy_setopt curl_easy_perform sprintf snprintf strcpy strncpy strcat strncat
memcpy gethostbyname getaddrinfo inet_addr dup2 gethostname getdomainname uname getlogin cuserid getpwuid chmod fchmod fwrite fputs URLDownloadToFileA URLDownloadToFileW URLDownloadToFile SSL_CTX_set_verify SSL_set_verify
""".split())
# What a call returns, when it matters for resolving the next method call on it.
RETURNS = {
    "os/exec.Command": "os/exec.Cmd", "os/exec.CommandContext": "os/exec.Cmd", "net.Dial": "net.Conn",
    "net.DialTimeout": "net.Conn", "net.DialTCP": "net.Conn", "net.Listener.Accept": "net.Conn",
    "net.Listen": "net.Listener", "net/http.Get": "net/http.Response", "net/http.Post": "net/http.Response",
    "net/http.NewRequest": "net/http.Request", "crypto/tls.Dial": "net.Conn", "net/http.Client.Do": "net/http.Response",
    "java.lang.Runtime.getRuntime": "java.lang.Runtime", "java.lang.Class.forName": "java.lang.Class",
    "java.lang.Class.getMethod": "java.lang.reflect.Method",
    "java.lang.Class.getDeclaredMethod": "java.lang.reflect.Method",
    "java.net.URL.openConnection": "java.net.URLConnection", "java.util.Base64.getDecoder": "java.util.Base64.Decoder",
    "java.util.Base64.getMimeDecoder": "java.util.Base64.Decoder",
    "java.net.Socket.getOutputStream": "java.io.OutputStream", "java.net.Socket.getInputStream": "java.io.InputStream",
    "java.net.URLConnection.getOutputStream": "java.io.OutputStream",
    "java.net.HttpURLConnection.getOutputStream": "java.io.OutputStream",
    "java.lang.ProcessBuilder.start": "java.lang.Process", "java.lang.Runtime.exec": "java.lang.Process",
    "javax.script.ScriptEngineManager.getEngineByName": "javax.script.ScriptEngine",
    "java.lang.Class.getMethods": "java.lang.reflect.Method",
    "System.Type.GetType": "System.Type", "System.Type.GetMethod": "System.Reflection.MethodInfo",
    "System.Net.Sockets.TcpClient.GetStream": "System.Net.Sockets.NetworkStream",
    "System.Reflection.Assembly.Load": "System.Reflection.Assembly",
}
# Go packages whose import name differs from the last path element are rare; the path's last part is the name.


def go_import_name(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    if last.startswith("v") and last[1:].isdigit() and "/" in path:  # example.com/x/v2 -> x
        last = path.rstrip("/").rsplit("/", 2)[-2]
    return last.replace("-", "_").split(".")[0]
