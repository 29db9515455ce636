"""A TCP relay between the agent and acs-sim's CWMP listener that notes the
instant each complete Inform request has arrived, in time.monotonic_ns().

It exists so that "connection request -> Inform received by the ACS" is
measured with the same clock, in the same process, as the moment the
connection request was sent, to the microsecond: acs-sim's own log lines
carry milliseconds only. Bytes are forwarded as they arrive (TCP_NODELAY on
both legs), so the relay delays nothing it measures; acs-sim sees every
request one loopback hop later.
"""
import re
import socket
import threading
import time

# A CPE request body carrying an Inform (not the parameter names of a
# GetParameterValuesResponse that merely contain "Inform").
_INFORM = re.compile(rb"<([A-Za-z_][\w.-]*:)?Inform[\s>/]")
_MAX_REQUEST_BYTES = 16 * 1024 * 1024  # above acs-sim's own 4 MiB body limit
_CONNECT_TIMEOUT_S = 5


class RelayError(Exception):
    pass


class InformArrival:
    def __init__(self, at_ns, body):
        self.at_ns = at_ns
        self.body = body


class _RequestScanner:
    """Splits one connection's byte stream into HTTP/1.1 requests (by
    Content-Length or chunked framing) and reports each Inform's arrival."""

    def __init__(self, on_inform):
        self.buffer = bytearray()
        self.on_inform = on_inform

    def feed(self, data, now_ns):
        self.buffer += data
        if len(self.buffer) > _MAX_REQUEST_BYTES:
            raise RelayError(f"a request over {_MAX_REQUEST_BYTES} bytes")
        while True:
            body, consumed = self._complete_request()
            if consumed == 0:
                return
            del self.buffer[:consumed]
            if _INFORM.search(body):
                self.on_inform(InformArrival(now_ns, bytes(body)))

    def _complete_request(self):
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return b"", 0
        head = bytes(self.buffer[:end]).decode("latin-1").lower()
        start = end + 4
        if "transfer-encoding: chunked" in head:
            return self._chunked_body(start)
        match = re.search(r"\ncontent-length:\s*(\d+)", head)
        length = int(match.group(1)) if match else 0
        if len(self.buffer) < start + length:
            return b"", 0
        return self.buffer[start:start + length], start + length

    def _chunked_body(self, position):
        body = bytearray()
        while True:
            line_end = self.buffer.find(b"\r\n", position)
            if line_end < 0:
                return b"", 0
            size_text = bytes(self.buffer[position:line_end]).split(b";")[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError as error:
                raise RelayError(f"bad chunk size {size_text!r}") from error
            position = line_end + 2
            if size == 0:
                trailer_end = self.buffer.find(b"\r\n\r\n", position - 2)
                if trailer_end < 0:
                    return b"", 0
                return body, trailer_end + 4
            if len(self.buffer) < position + size + 2:
                return b"", 0
            body += self.buffer[position:position + size]
            position += size + 2


class CwmpRelay:
    """Listens on a free loopback port and forwards every connection to
    upstream ("HOST:PORT"). Use as a context manager; close() ends every
    thread it started."""

    def __init__(self, upstream):
        host, _, port = upstream.rpartition(":")
        self.upstream = (host.strip("[]"), int(port))
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.arrivals = []
        self.errors = []
        self.condition = threading.Condition()
        self.sockets = []
        self.closed = False
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        with self.condition:
            self.closed = True
            sockets = list(self.sockets)
        for s in [self.listener] + sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        for thread in self.threads:
            thread.join(timeout=5)

    def inform_count(self):
        with self.condition:
            return len(self.arrivals)

    def wait_inform(self, index, timeout):
        """The arrival of the index-th Inform (0-based) since the start."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while len(self.arrivals) <= index:
                if self.errors:
                    raise RelayError("; ".join(self.errors))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RelayError(f"no Inform #{index + 1} within {timeout:.0f} s")
                self.condition.wait(left)
            return self.arrivals[index]

    def _record(self, arrival):
        with self.condition:
            self.arrivals.append(arrival)
            self.condition.notify_all()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed
            try:
                server = socket.create_connection(self.upstream, timeout=_CONNECT_TIMEOUT_S)
            except OSError as error:
                self._fail(f"cannot connect to acs-sim at {self.upstream}: {error}")
                client.close()
                continue
            server.settimeout(None)
            for s in (client, server):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.condition:
                if self.closed:
                    client.close()
                    server.close()
                    return
                self.sockets += [client, server]
                for source, sink, scanner in ((client, server, _RequestScanner(self._record)),
                                              (server, client, None)):
                    thread = threading.Thread(target=self._pump, args=(source, sink, scanner),
                                              daemon=True)
                    self.threads.append(thread)
                    thread.start()

    def _pump(self, source, sink, scanner):
        try:
            while True:
                data = source.recv(65536)
                now_ns = time.monotonic_ns()
                if not data:
                    break
                sink.sendall(data)
                if scanner is not None:
                    scanner.feed(data, now_ns)
        except RelayError as error:
            self._fail(str(error))
        except OSError:
            pass  # either side closed: the other learns it below
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    def _fail(self, message):
        with self.condition:
            self.errors.append(message)
            self.condition.notify_all()
