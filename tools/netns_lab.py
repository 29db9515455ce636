"""A two-namespace network lab for the DHCP / ACS discovery tests and the
demo: a "network" namespace (dnsmasq, acs-sim) and a "phone" namespace
(cwmp-agent --interface) joined by a veth pair, with a private /24 that
exists only inside them. Standard library only.

NetnsLab undoes everything it did, in reverse order, on close() (also when
set-up fails half way): processes stop before this process leaves the
network namespace, and the namespaces go last. Every wait is bounded."""
import contextlib
import ctypes
import json
import os
import shutil
import subprocess
import time

CLONE_NEWNET = 0x40000000


class LabError(Exception):
    pass


def missing_prerequisite():
    """Why the lab cannot run here (not root, no `ip netns`, no dnsmasq), or None."""
    if os.geteuid() != 0:
        return "needs root to create network namespaces"
    for tool in ("ip", "dnsmasq"):
        if shutil.which(tool) is None and not os.path.exists(f"/usr/sbin/{tool}"):
            return f"{tool} not installed"
    probe = subprocess.run(["ip", "netns", "list"], capture_output=True, timeout=10)
    if probe.returncode != 0:
        return "ip netns unavailable: " + probe.stderr.decode(errors="replace").strip()
    return None


def run(*command, check=True, timeout=10):
    result = subprocess.run(list(command), capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise LabError(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return result


def enter_namespace(path):
    """setns(2) of this (single-threaded) process into the namespace at `path`."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"setns {path}: {os.strerror(error)}")
    finally:
        os.close(fd)


def stop_process(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class NetnsLab:
    """name: a short prefix of the namespace and interface names (the pid is
    appended, so parallel runs do not collide). work_dir: where dnsmasq's
    configuration, log and lease file go (the caller owns it)."""

    def __init__(self, name, server_address, work_dir, phone_interface="phone0"):
        tag = f"{os.getpid()}"
        self.network_ns = f"{name}-n-{tag}"
        self.phone_ns = f"{name}-p-{tag}"
        self.server_if = f"{name}{tag}"[:15]  # interface names: at most 15 characters
        self.phone_if = phone_interface
        self.server_address = server_address
        self.work_dir = work_dir
        self.lease_file = os.path.join(work_dir, "leases")
        self.dnsmasq = None
        self.dnsmasq_log = None
        self._undo = contextlib.ExitStack()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def close(self):
        """Undoes everything so far, last step first; safe to call twice."""
        self._undo.close()

    def create(self):
        """The namespaces, the veth pair, the server's address, links up."""
        run("ip", "netns", "add", self.network_ns)
        self._undo.callback(run, "ip", "netns", "del", self.network_ns, check=False)
        run("ip", "netns", "add", self.phone_ns)
        self._undo.callback(run, "ip", "netns", "del", self.phone_ns, check=False)
        run("ip", "link", "add", self.server_if, "netns", self.network_ns, "type", "veth",
            "peer", "name", self.phone_if, "netns", self.phone_ns)
        run("ip", "-n", self.network_ns, "addr", "add", f"{self.server_address}/24", "dev",
            self.server_if)
        for ns, interface in ((self.network_ns, self.server_if),
                              (self.phone_ns, self.phone_if)):
            run("ip", "-n", ns, "link", "set", "lo", "up")
            run("ip", "-n", ns, "link", "set", interface, "up")

    def enter_network_namespace(self):
        """Moves this process into the network namespace (so that what it
        starts and connects to is there) until close()."""
        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        self._undo.callback(os.close, home)
        self._undo.callback(enter_namespace, f"/proc/self/fd/{home}")
        enter_namespace(f"/run/netns/{self.network_ns}")

    def call_on_close(self, function, *args):
        """Runs function(*args) on close(), before the steps done so far are undone."""
        self._undo.callback(function, *args)

    def start_dnsmasq(self, dhcp_range, extra_lines=()):
        """dnsmasq on the server's interface, started in the namespace this
        process is in (enter_network_namespace first); returns once it
        serves DHCP."""
        conf = os.path.join(self.work_dir, "dnsmasq.conf")
        with open(conf, "w", encoding="ascii") as out:
            out.write("\n".join([
                "port=0",
                f"interface={self.server_if}",
                "bind-interfaces",
                "no-ping",
                "user=root",
                f"dhcp-range={dhcp_range}",
                f"dhcp-leasefile={self.lease_file}",
                "log-dhcp",
                *extra_lines,
            ]) + "\n")
        self.dnsmasq_log = open(os.path.join(self.work_dir, "dnsmasq.log"), "w+")
        self._undo.callback(self.dnsmasq_log.close)
        self.dnsmasq = subprocess.Popen(
            ["dnsmasq", "--no-daemon", f"--conf-file={conf}", "--pid-file="],
            stdout=self.dnsmasq_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self._undo.callback(stop_process, self.dnsmasq)
        deadline = time.monotonic() + 10
        while "DHCP, IP range" not in self.dnsmasq_text():
            if self.dnsmasq.poll() is not None:
                raise LabError("dnsmasq exited: " + self.dnsmasq_text())
            if time.monotonic() >= deadline:
                raise LabError("dnsmasq did not serve DHCP within 10 s: " + self.dnsmasq_text())
            time.sleep(0.05)

    def dnsmasq_text(self):
        if self.dnsmasq_log is None:
            return ""
        self.dnsmasq_log.flush()
        with open(self.dnsmasq_log.name, encoding="utf-8", errors="replace") as log:
            return log.read()

    def leases(self):
        try:
            with open(self.lease_file, encoding="ascii") as leases:
                return leases.read()
        except FileNotFoundError:
            return ""

    def show_phone_addresses(self):
        """`ip -n PHONE -4 addr show dev IF` as a person reads it."""
        return run("ip", "-n", self.phone_ns, "-4", "addr", "show", "dev",
                   self.phone_if).stdout.rstrip()

    def phone_addresses(self):
        """"address/prefix" of every global IPv4 address on the phone's interface."""
        shown = run("ip", "-n", self.phone_ns, "-j", "-4", "addr", "show", "dev",
                    self.phone_if)
        links = json.loads(shown.stdout or "[]")
        return sorted(f"{info['local']}/{info['prefixlen']}"
                      for link in links for info in link.get("addr_info", [])
                      if info.get("scope") != "link")
