"""Data a JavaScript function receives as a message rather than as a web request: what a queue or broker consumer
is handed (Kafka, SQS, RabbitMQ, BullMQ jobs, MQTT / Redis / Pub/Sub message events) — another machine's data, as
a socket's is —, what another window posts to a page's `message` listener that never looks at `event.origin`
(any site that frames or opens the page can send it, as it can write the page's URL), and each member an archive
reader's 'entry' event hands over (its name is the archive's to choose: `../../.bashrc`); the chunks a Node http
request's 'data' event hands over (the body, streamed); and the `args` an extension
hands the function chrome.scripting.executeScript runs in a tab."""
from __future__ import annotations

import re

from ..constants import UNKNOWN
from ..facts import Step, Value

SOCKET = frozenset({"socket"})
BROWSING = frozenset({"credential-file"})  # the browsing history as it happens: the loot chrome.history.search is
# listeners handed each page the user visits: tabs.onUpdated (tabId, changeInfo, tab): the tab; webNavigation: details
_BROWSING_EVENTS = re.compile(rb"^(?:chrome|browser)\.(?:tabs\.onUpdated|webNavigation\.on(?:Completed|Committed|"
                              rb"BeforeNavigate|DOMContentLoaded|HistoryStateUpdated))\.addListener$")
ARCHIVE_ENTRY = frozenset({"archive-entry"})
REQUEST = frozenset({"request"})
DATA_EVENT = frozenset((b"'data'", b'"data"'))  # a Node http request's body, read as a stream
ENTRY_EVENT = frozenset((b"'entry'", b'"entry"'))  # unzipper Parse(), yauzl, tar-stream / tar: each member
URL_INPUT = frozenset({"url-input"})
# consumer callbacks given in an options object: kafkajs consumer.run({ eachMessage }), sqs-consumer handleMessage
QUEUE_KEYS = frozenset((b"eachMessage", b"eachBatch", b"handleMessage", b"handleMessageBatch"))
# emitters whose 'message' event carries what a broker delivered (every parameter: MQTT's (topic, payload))
BROKERS = ("mqtt", "redis", "ioredis", "@google-cloud/pubsub", "nats", "@redis/client")
BROKER_EVENTS = frozenset((b"'message'", b'"message"', b"'messageBuffer'", b"'pmessage'"))
WINDOWS = frozenset((b"window", b"self", b"globalThis"))
MESSAGE_EVENT = frozenset((b"'message'", b'"message"'))


def message_argument(values, node, function, index: int, extra: frozenset) -> Value | None:
    """What the parameter `node` (at `index`) of `function` receives when the function is a message handler."""
    if index < 0:
        return None
    injected = _injected_argument(values, function, index)
    if injected is not None:
        return Value(UNKNOWN, injected.labels | extra, None, None,
                     (*injected.trace, Step(node.start_point[0] + 1, "given to the function run in the tab")))
    if _browsing_listener(function, index):
        return Value(UNKNOWN, BROWSING | extra, None, None,
                     (Step(node.start_point[0] + 1, "every page the browser loads (URL, title), handed to an extension"),))
    what = _consumer(values, function, index)
    if what is not None:
        return Value(UNKNOWN, SOCKET | extra, None, None, (Step(node.start_point[0] + 1, what),))
    if index == 0 and _request_chunk(values, function):
        return Value(UNKNOWN, REQUEST | extra, None, None,
                     (Step(node.start_point[0] + 1, "a chunk of the request body the client sent"),))
    if index == 0 and _archive_entry(function):
        return Value(UNKNOWN, ARCHIVE_ENTRY | extra, None, None,
                     (Step(node.start_point[0] + 1, "an archive entry (its name is whatever the archive says)"),))
    if index == 0 and _unchecked_window_message(function):
        step = Step(node.start_point[0] + 1, "a message another window posted (event.origin never checked)")
        return Value(UNKNOWN, URL_INPUT | extra, None, None, (step,))
    return None


def _consumer(values, function, index: int) -> str | None:
    parent = function.parent
    if index == 0 and parent is not None and parent.type == "pair" and parent.child_by_field_name("value") == function:
        key = parent.child_by_field_name("key")
        if key is not None and key.text.strip(b"'\"") in QUEUE_KEYS:
            return f"a message the queue consumer's {key.text.decode()} received"
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return None
    call = parent.parent
    fn = call.child_by_field_name("function") or call.child_by_field_name("constructor")
    args = [c for c in parent.named_children if c.type != "comment"]
    if fn is None or len(args) < 2 or args[1] != function:
        return None
    if index == 0 and fn.type == "member_expression" and fn.child_by_field_name("property").text == b"consume":
        return "a message a RabbitMQ channel's consume callback received"  # channel.consume(queue, msg => ..)
    if index == 0 and call.type == "new_expression" and (values.ev(fn).name or "") == "bullmq.Worker":
        return "a job a BullMQ worker received"
    if fn.type == "member_expression" and fn.child_by_field_name("property").text in (b"on", b"once") and \
            args[0].text in BROKER_EVENTS:
        emitter = values.ev(fn.child_by_field_name("object")).name or ""
        if emitter.split(".")[0].split("(")[0] in BROKERS or emitter.startswith(BROKERS):
            return "a message the broker delivered to the subscriber"
    return None


def _unchecked_window_message(function) -> bool:
    parent = function.parent
    if parent is not None and parent.type == "arguments" and parent.parent is not None:
        args = [c for c in parent.named_children if c.type != "comment"]
        fn = parent.parent.child_by_field_name("function")
        if fn is None or len(args) < 2 or args[1] != function or args[0].text not in MESSAGE_EVENT:
            return False
        if fn.type == "member_expression":
            if fn.child_by_field_name("property").text != b"addEventListener" or \
                    fn.child_by_field_name("object").text not in WINDOWS:
                return False
        elif fn.text != b"addEventListener":
            return False
    elif parent is not None and parent.type == "assignment_expression" and parent.child_by_field_name("right") == function:
        left = parent.child_by_field_name("left")
        if left is None or left.text not in (b"onmessage", b"window.onmessage", b"self.onmessage"):
            return False
    else:
        return False
    return b".origin" not in function.text  # a listener that checks who sent the message decides on it


def _request_chunk(values, function) -> bool:
    """The function is a `req.on('data', ..)` listener of a request handler's request (Node's http server)."""
    parent = function.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return False
    args = [c for c in parent.named_children if c.type != "comment"]
    fn = parent.parent.child_by_field_name("function")
    if fn is None or fn.type != "member_expression" or len(args) < 2 or args[1] != function or \
            args[0].text not in DATA_EVENT or fn.child_by_field_name("property").text not in (b"on", b"once"):
        return False
    return values.ev(fn.child_by_field_name("object")).name in ("req", "request")


def _archive_entry(function) -> bool:
    """The function is an `on('entry', ..)` listener: archive readers hand it each member (name and data)."""
    parent = function.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return False
    args = [c for c in parent.named_children if c.type != "comment"]
    fn = parent.parent.child_by_field_name("function")
    return fn is not None and fn.type == "member_expression" and len(args) >= 2 and args[1] == function and \
        fn.child_by_field_name("property").text in (b"on", b"once") and args[0].text in ENTRY_EVENT


def _injected_argument(values, function, index: int) -> Value | None:
    """chrome.scripting.executeScript({ func: (src) => .., args: [code] }): the function runs in the tab with the
    items of `args` as its parameters."""
    parent = function.parent
    if parent is None or parent.type != "pair" or parent.child_by_field_name("value") != function or \
            parent.child_by_field_name("key").text.strip(b"'\"") != b"func":
        return None
    obj = parent.parent
    call = obj.parent.parent if obj is not None and obj.parent is not None and obj.parent.type == "arguments" else None
    fn = call.child_by_field_name("function") if call is not None else None
    if fn is None or not fn.text.endswith(b"scripting.executeScript"):
        return None
    for pair in obj.named_children:
        if pair.type == "pair" and pair.child_by_field_name("key").text.strip(b"'\"") == b"args":
            items = [c for c in pair.child_by_field_name("value").named_children if c.type != "comment"]
            return values.ev(items[index]) if pair.child_by_field_name("value").type == "array" and \
                index < len(items) else None
    return None


def _browsing_listener(function, index: int) -> bool:
    parent = function.parent
    if parent is None or parent.type != "arguments" or parent.parent is None:
        return False
    fn = parent.parent.child_by_field_name("function")
    if fn is None or not _BROWSING_EVENTS.match(fn.text):
        return False
    return index == 2 if b"tabs.onUpdated" in fn.text else index == 0  # (changeInfo: its status, sent as stats)
