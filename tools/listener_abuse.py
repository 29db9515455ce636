"""Attacks on a listener, for the abuse tests: floods of requests, oversized
requests, crowds of idle connections (slowloris), broken TLS handshakes, and
the process figures (RSS) to watch while they run. Standard library only.

Every loop here is bounded in count and in time, and every socket is closed
when the call returns or the crowd is closed: the tests aim at loopback only.
"""
import collections
import random
import resource
import select
import socket
import ssl
import threading
import time

LOOPBACK = "127.0.0.1"


def raise_open_file_limit(wanted):
    """Raises this process's soft RLIMIT_NOFILE to `wanted` (at most the hard
    limit) and returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft >= target:
        return soft
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def rss_kib(pid):
    """The resident set size of process `pid` in KiB (VmRSS in /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS in /proc/{pid}/status")


def _status_of(head):
    """The status code of an HTTP response head, or None when not one."""
    first = head.split(b"\r\n", 1)[0].split()
    if len(first) >= 2 and first[0].startswith(b"HTTP/") and first[1].isdigit():
        return int(first[1])
    return None


def _read_head(sock, deadline):
    """Reads until the end of a response head, the peer's close or the
    deadline; returns what arrived."""
    received = b""
    while b"\r\n\r\n" not in received and len(received) < 65536:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        sock.settimeout(left)
        try:
            chunk = sock.recv(4096)
        except (socket.timeout, ConnectionError, ssl.SSLError, OSError):
            break
        if not chunk:
            break
        received += chunk
    return received


def exchange(port, request, timeout=5.0, tls=None, host=LOOPBACK, source=None):
    """Sends one request on a new connection and returns the status code of
    the answer, or None when the connection closed (or the time ran out)
    without one. `tls`: an ssl.SSLContext to speak HTTPS with. `source`: the
    local address to send from (another loopback address such as 127.0.0.2
    is another host to a listener that counts by source)."""
    deadline = time.monotonic() + timeout
    try:
        with socket.create_connection((host, port), timeout=timeout,
                                      source_address=(source, 0) if source else None) as raw:
            with (tls.wrap_socket(raw, server_hostname=host) if tls else raw) as sock:
                try:
                    sock.sendall(request)
                except (ConnectionError, ssl.SSLError, OSError):
                    pass  # the server may answer (431, 413) and close before reading it all
                return _status_of(_read_head(sock, deadline))
    except (ConnectionError, socket.timeout, ssl.SSLError, OSError):
        return None


def timed_exchange(port, request, timeout=5.0, tls=None):
    """(status, seconds) of exchange()."""
    started = time.monotonic()
    status = exchange(port, request, timeout=timeout, tls=tls)
    return status, time.monotonic() - started


FloodResult = collections.namedtuple("FloodResult", "statuses sent seconds")


def flood(port, request, count, threads=4, time_limit=120.0, tls=None, source=None):
    """Sends `request` `count` times, each on a new connection (from the
    local address `source` when given), from `threads` threads at once;
    stops early when `time_limit` seconds have passed. Returns the statuses
    seen (None: closed without an answer)."""
    statuses = collections.Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + time_limit
    started = time.monotonic()

    def worker(share):
        seen = collections.Counter()
        for _ in range(share):
            if time.monotonic() >= deadline:
                break
            seen[exchange(port, request, timeout=5.0, tls=tls, source=source)] += 1
        with lock:
            statuses.update(seen)

    shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
    workers = [threading.Thread(target=worker, args=(share,), daemon=True) for share in shares]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=time_limit + 30)
    return FloodResult(dict(statuses), sum(statuses.values()), time.monotonic() - started)


class BackgroundFlood:
    """flood() in a thread, for checking a legitimate request while it runs."""

    def __init__(self, *args, **kwargs):
        self.result = None
        self._thread = threading.Thread(target=self._run, args=args, kwargs=kwargs, daemon=True)

    def _run(self, *args, **kwargs):
        self.result = flood(*args, **kwargs)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._thread.join(timeout=300)
        return False

    def running(self):
        return self._thread.is_alive()


def udp_send_all(port, datagrams, source=LOOPBACK, time_limit=60.0):
    """Sends each of `datagrams` from `source`; returns (sent, seconds)."""
    deadline = time.monotonic() + time_limit
    started = time.monotonic()
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((source, 0))
        for datagram in datagrams:
            if time.monotonic() >= deadline:
                break
            try:
                sock.sendto(datagram, (LOOPBACK, port))
                sent += 1
            except BlockingIOError:
                time.sleep(0.001)
    return sent, time.monotonic() - started


class IdleCrowd:
    """Up to `count` connections that send nothing (or `opening` bytes) and
    stay open: a slowloris, from the local address `source` when given.
    Closed by close() or on leaving the context."""

    def __init__(self, port, count, opening=b"", time_limit=60.0, source=None):
        self.sockets = []
        self.refused = 0
        deadline = time.monotonic() + time_limit
        for _ in range(count):
            if time.monotonic() >= deadline:
                break
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.settimeout(2.0)
            try:
                if source:
                    sock.bind((source, 0))
                sock.connect((LOOPBACK, port))
                if opening:
                    sock.sendall(opening)
            except OSError:
                sock.close()
                self.refused += 1
                continue
            sock.setblocking(False)
            self.sockets.append(sock)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def closed_by_peer(self):
        """How many of the connections the listener has closed (or reset),
        also those it wrote something to first (a TLS alert)."""
        hang_up = select.POLLHUP | select.POLLERR | select.POLLRDHUP
        poller = select.poll()
        by_fd = {}
        for sock in self.sockets:
            by_fd[sock.fileno()] = sock
            poller.register(sock, select.POLLIN | hang_up)
        closed = 0
        for fd, events in poller.poll(0):
            if events & hang_up:
                closed += 1
                continue
            try:
                if not by_fd[fd].recv(65536, socket.MSG_PEEK):
                    closed += 1
            except BlockingIOError:
                pass
            except OSError:
                closed += 1
        return closed

    def still_open(self):
        return len(self.sockets) - self.closed_by_peer()

    def close(self):
        for sock in self.sockets:
            sock.close()
        self.sockets = []


def client_hello(host=LOOPBACK):
    """The bytes of a real TLS ClientHello, as Python's ssl would send it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = context.wrap_bio(incoming, outgoing, server_hostname=host)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return outgoing.read()


def malformed_handshakes(seed=8):
    """Named byte strings a TLS listener must survive: random bytes, a
    ClientHello cut in half, a plaintext HTTP request, a record header that
    announces more than it carries."""
    rng = random.Random(seed)
    hello = client_hello()
    return {
        "random bytes": bytes(rng.getrandbits(8) for _ in range(1024)),
        "half a ClientHello": hello[:len(hello) // 2],
        "plaintext HTTP": b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        "oversized record header": b"\x16\x03\x01\xff\xff" + bytes(64),
    }


def send_and_wait_close(port, payload, timeout):
    """Sends `payload` on a new connection and returns the seconds until
    the listener closed it, or None if it still had not after `timeout`."""
    started = time.monotonic()
    deadline = started + timeout
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout) as sock:
            try:
                sock.sendall(payload)
            except OSError:
                return time.monotonic() - started
            while time.monotonic() < deadline:
                sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    if not sock.recv(4096):
                        return time.monotonic() - started
                except socket.timeout:
                    return None
                except OSError:
                    return time.monotonic() - started
    except OSError:
        return time.monotonic() - started
    return None


def insecure_tls_context():
    """A client context that accepts the tests' self-signed certificates."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
