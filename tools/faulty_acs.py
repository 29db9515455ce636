"""A small CWMP ACS for fault-injection tests that misbehaves on demand.

It speaks just enough CWMP to complete a session (InformResponse,
TransferCompleteResponse, queued Download requests, 204 to end) and records
every CPE message. Faults are queued as (trigger, action) pairs: the next CPE
message whose method is `trigger` ("Inform", "TransferComplete", "empty", ...)
gets `action` instead of the normal answer:

  "silent"          read the request, never answer (the CPE's timeout fires)
  "reset"           read the request, then reset the connection (RST)
  "reset_partial"   send the first bytes of a normal answer, then reset
  "truncated"       announce the full Content-Length, send half, close (FIN)
  "garbage"         HTTP 200 with a body that is not XML
  ("status", code)  HTTP `code` with no envelope

HTTP is parsed by hand on raw sockets (the standard library's servers cannot
reset a connection or send half a body). Everything is bounded: header and
body sizes, the time a connection may stay open, the number of connections.
Standard library only.
"""
import socket
import struct
import threading
import time
import xml.etree.ElementTree as ET

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CWMP = "urn:dslforum-org:cwmp-1-0"
MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 1024 * 1024
CONNECTION_LIFETIME_S = 60
MAX_CONNECTIONS = 500
GARBAGE = b"\x00\x01<<<this is not XML & never was"


class ProtocolError(Exception):
    pass


def envelope(request_id, body):
    return (f'<soap-env:Envelope xmlns:soap-env="{SOAP}" xmlns:cwmp="{CWMP}">'
            f'<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">{request_id}</cwmp:ID>'
            f'</soap-env:Header><soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>'
            ).encode()


def download_body(key, url, size, target, file_type="4 Tone File"):
    return (f"<cwmp:Download><CommandKey>{key}</CommandKey><FileType>{file_type}</FileType>"
            f"<URL>{url}</URL><Username></Username><Password></Password>"
            f"<FileSize>{size}</FileSize><TargetFileName>{target}</TargetFileName>"
            f"<DelaySeconds>0</DelaySeconds><SuccessURL></SuccessURL><FailureURL></FailureURL>"
            f"</cwmp:Download>")


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _response(status, body=b"", content_length=None):
    reason = {200: "OK", 204: "No Content", 400: "Bad Request",
              500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Status")
    length = len(body) if content_length is None else content_length
    head = f"HTTP/1.1 {status} {reason}\r\nContent-Length: {length}\r\n"
    if body:
        head += "Content-Type: text/xml; charset=\"utf-8\"\r\n"
    return head.encode() + b"\r\n" + body


class FaultyAcs:
    def __init__(self, port=0, files=None):
        self.lock = threading.Lock()
        self.messages = []        # (method, details) in arrival order
        self.faults = []          # (trigger, action) still to apply, in order
        self.applied = []         # (trigger, action) applied, in order
        self.requests = []        # ACS request bodies to send when the CPE lets us
        self.files = dict(files or {})
        self.closing = threading.Event()
        self.connections = 0
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", port))
        self.listener.listen(16)
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.threads = [threading.Thread(target=self._accept_loop, daemon=True)]
        self.threads[0].start()

    def url(self, path="/acs"):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.closing.set()
        for thread in list(self.threads):
            thread.join(timeout=CONNECTION_LIFETIME_S + 5)
        self.listener.close()

    # ---- what the tests read ------------------------------------------------

    def seen(self, method):
        with self.lock:
            return [details for m, details in self.messages if m == method]

    def methods(self):
        with self.lock:
            return [m for m, _ in self.messages]

    # ---- the server -----------------------------------------------------------

    def _accept_loop(self):
        while not self.closing.is_set():
            try:
                connection, _ = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.connections += 1
                too_many = self.connections > MAX_CONNECTIONS
            if too_many:
                connection.close()
                continue
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, connection):
        deadline = time.monotonic() + CONNECTION_LIFETIME_S
        buffered = b""
        try:
            while not self.closing.is_set() and time.monotonic() < deadline:
                request, buffered = self._read_request(connection, buffered, deadline)
                if request is None:
                    return
                method, path, body = request
                if method == "GET":
                    data = self.files.get(path)
                    connection.sendall(_response(404) if data is None else _response(200, data))
                    continue
                if not self._answer(connection, body, deadline):
                    return
        except (OSError, ProtocolError):
            pass
        finally:
            connection.close()

    def _read_request(self, connection, buffered, deadline):
        """(method, path, body) of the next request, or None at EOF/timeout."""
        while b"\r\n\r\n" not in buffered:
            if len(buffered) > MAX_HEADER_BYTES:
                raise ProtocolError("header too large")
            chunk = self._recv(connection, deadline)
            if not chunk:
                return None, b""
            buffered += chunk
        head, _, buffered = buffered.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path = lines[0].split(" ")[:2]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("expect", "").lower() == "100-continue":
            connection.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        if "chunked" in headers.get("transfer-encoding", "").lower():
            body, buffered = self._read_chunked(connection, buffered, deadline)
        else:
            length = int(headers.get("content-length", "0"))
            if length > MAX_BODY_BYTES:
                raise ProtocolError("body too large")
            while len(buffered) < length:
                chunk = self._recv(connection, deadline)
                if not chunk:
                    return None, b""
                buffered += chunk
            body, buffered = buffered[:length], buffered[length:]
        return (method, path, body), buffered

    def _read_chunked(self, connection, buffered, deadline):
        body = b""
        while True:
            while b"\r\n" not in buffered:
                buffered += self._recv_or_fail(connection, deadline)
            size_line, _, buffered = buffered.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            if len(body) + size > MAX_BODY_BYTES:
                raise ProtocolError("body too large")
            while len(buffered) < size + 2:
                buffered += self._recv_or_fail(connection, deadline)
            body += buffered[:size]
            buffered = buffered[size + 2:]
            if size == 0:
                return body, buffered

    def _recv_or_fail(self, connection, deadline):
        chunk = self._recv(connection, deadline)
        if not chunk:
            raise ProtocolError("connection closed inside a chunked body")
        return chunk

    def _recv(self, connection, deadline):
        while not self.closing.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b""
            connection.settimeout(min(0.2, remaining))
            try:
                return connection.recv(65536)
            except socket.timeout:
                continue
        return b""

    # ---- CWMP -------------------------------------------------------------------

    def _answer(self, connection, body, deadline):
        """Answers one CPE message; False when the connection must end."""
        method, details = self._parse(body)
        with self.lock:
            self.messages.append((method, details))
            action = None
            if self.faults and self.faults[0][0] == method:
                action = self.faults.pop(0)[1]
                self.applied.append((method, action))
            normal = self._normal_answer(method) if action is None or action in (
                "reset_partial", "truncated") else None
        if action is None:
            connection.sendall(normal)
            return True
        if action == "silent":
            # Hold the connection without a word until the CPE gives up.
            while self._recv(connection, deadline):
                pass
            return False
        if action == "reset":
            self._reset(connection)
            return False
        if action == "reset_partial":
            connection.sendall(normal[:len(normal) // 2])
            self._reset(connection)
            return False
        if action == "truncated":
            head, _, payload = normal.partition(b"\r\n\r\n")
            connection.sendall(head + b"\r\n\r\n" + payload[:len(payload) // 2])
            connection.shutdown(socket.SHUT_WR)
            return False
        if action == "garbage":
            connection.sendall(_response(200, GARBAGE))
            return True
        kind, status = action
        if kind != "status":
            raise ValueError(f"unknown fault action {action!r}")
        connection.sendall(_response(status))
        return True

    @staticmethod
    def _reset(connection):
        # SO_LINGER with a zero timeout: close() sends RST, not FIN.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    @staticmethod
    def _parse(body):
        if not body.strip():
            return "empty", {}
        try:
            root = ET.fromstring(body)
        except ET.ParseError as error:
            return "unparsable", {"error": str(error)}
        soap_body = next((child for child in root if _local(child.tag) == "Body"), None)
        if soap_body is None or not len(soap_body):
            return "unparsable", {"error": "no SOAP Body"}
        request = list(soap_body)[0]
        method = _local(request.tag)
        details = {}
        if method == "Inform":
            details["events"] = [(e.findtext("EventCode"), e.findtext("CommandKey") or "")
                                 for e in request.iter("EventStruct")]
            details["retry_count"] = int(request.findtext("RetryCount") or "-1")
        elif method == "TransferComplete":
            details = {name: request.findtext(name) or "" for name in ("CommandKey", "StartTime",
                                                                         "CompleteTime")}
            details["FaultCode"] = request.findtext("FaultStruct/FaultCode")
        elif method == "DownloadResponse":
            details["Status"] = request.findtext("Status")
        elif method == "Fault":
            details["FaultCode"] = request.findtext(".//FaultCode")
        return method, details

    def _normal_answer(self, method):
        if method == "Inform":
            return _response(200, envelope("inf", "<cwmp:InformResponse><MaxEnvelopes>1"
                                                  "</MaxEnvelopes></cwmp:InformResponse>"))
        if method == "TransferComplete":
            return _response(200, envelope("tc", "<cwmp:TransferCompleteResponse/>"))
        if self.requests:
            return _response(200, envelope(f"req-{len(self.messages)}", self.requests.pop(0)))
        return _response(204)
