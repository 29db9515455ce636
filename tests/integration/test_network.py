"""The network subsystem live, in a network namespace this test creates: the
real cwmp-agent runs with --interface on one end of a veth pair, acs-sim (inside
the same namespace, on its loopback) sets a static address, mask and default
route with one SetParameterValues, and `ip -j` shows the kernel holding
them; an invalid mask faults 9007 and changes nothing; a new address
replaces the old one; switching to DHCP removes the static configuration.

The test process itself enters the namespace (setns), so the harness, its
NBI calls and both programs all live there; the namespace (and with it the
veth pair) is deleted at the end, also when the test fails. Needs
root; skipped with a message otherwise."""
import ctypes
import json
import os
import shutil
import subprocess
import time
import unittest
import urllib.parse
import uuid

from phonecwmp_harness import Harness, HarnessError, parameter, wait_for

CLONE_NEWNET = 0x40000000
IPV4 = "Device.IP.Interface.1.IPv4Address.1."
ROUTE = "Device.Routing.Router.1.IPv4Forwarding.1."
DHCPV4 = "Device.DHCPv4.Client.1.Enable"
CR_USERNAME = "cr-user"
CR_PASSWORD = "cr-secret"
INTERFACE = "phone0"


def ip(*args, check=True):
    return subprocess.run(["ip", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, timeout=10, check=check)


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


def addresses():
    """"address/prefix" of every global address on the interface."""
    links = json.loads(ip("-j", "addr", "show", "dev", INTERFACE).stdout or "[]")
    return sorted(f"{info['local']}/{info['prefixlen']}"
                  for link in links for info in link.get("addr_info", [])
                  if info.get("scope") != "link")


def default_gateways():
    routes = json.loads(ip("-j", "-4", "route", "show", "default").stdout or "[]")
    return [route.get("gateway") for route in routes]


@unittest.skipIf(shutil.which("ip") is None, "iproute2 (ip) is not installed")
class NetworkNamespace(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to create a network namespace")
        self.namespace = f"phonecwmp-net-{os.getpid()}"
        created = ip("netns", "add", self.namespace, check=False)
        if created.returncode != 0:
            self.skipTest(f"cannot create a network namespace: {created.stderr.strip()}")
        # Cleanups run last-registered first: the namespace goes last, after
        # the programs have stopped and this process has left it.
        self.addCleanup(ip, "netns", "del", self.namespace, check=False)
        home = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.addCleanup(os.close, home)
        self.addCleanup(enter_namespace, f"/proc/self/fd/{home}")
        enter_namespace(f"/run/netns/{self.namespace}")
        ip("link", "set", "lo", "up")
        # A veth pair (the dummy driver is not always available); the peer is
        # up so that the phone's side has a carrier.
        ip("link", "add", INTERFACE, "type", "veth", "peer", "name", "peer0")
        ip("link", "set", "peer0", "up")

        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim(options=["--cr-username", CR_USERNAME,
                                            "--cr-password", CR_PASSWORD])
        self.serial = "NET" + uuid.uuid4().hex[:9].upper()
        self.harness.start_agent(self.harness.acs_url, {
            "Device.DeviceInfo.SerialNumber": self.serial,
            "Device.ManagementServer.ConnectionRequestUsername": CR_USERNAME,
            "Device.ManagementServer.ConnectionRequestPassword": CR_PASSWORD,
            DHCPV4: "false",
            "Device.DHCPv6.Client.1.Enable": "false",
        }, options=["--interface", INTERFACE])
        device = wait_for("the agent's first Inform",
                          lambda: self.harness.device_by_serial(self.serial), timeout=30)
        self.device_id = device["_id"]

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)

    def run_task(self, task):
        """Has acs-sim make a connection request and returns once the agent
        did `task` (and the tasks queued before it) in the session it opened.
        The agent rate-limits connection requests (503): waits and retries."""
        for _ in range(10):
            status, body = self.harness.nbi(
                "POST", "/devices/" + urllib.parse.quote(self.device_id, safe="")
                + "/tasks?connection_request&timeout=20000", task)
            if status == 504 and "HTTP 503" in str(body):
                time.sleep(1.5)
                continue
            if status != 200:
                raise HarnessError(f"task {task['name']} answered {status}: {body}")
            return body
        raise HarnessError(f"task {task['name']}: connection requests stayed rate-limited")

    @staticmethod
    def spv(values):
        return {"name": "setParameterValues",
                "parameterValues": [
                    [path, value, "xsd:boolean" if value in ("true", "false") else "xsd:string"]
                    for path, value in values.items()]}

    def set_values(self, values):
        return self.run_task(self.spv(values))

    def values(self, *paths):
        """The agent's current values of `paths`, read over CWMP."""
        self.run_task({"name": "getParameterValues", "parameterNames": list(paths)})
        found = self.harness.devices(query={"_id": self.device_id}, projection=",".join(paths))
        device = found[0] if found else None
        result = []
        for path in paths:
            leaf = parameter(device, path) if device else None
            if leaf is None:
                raise HarnessError(f"acs-sim has no value of {path}: {device}")
            result.append(leaf["_value"])
        return result

    def test_static_address_and_route_are_applied_live_and_dhcp_removes_them(self):
        self.assertIn(f"network: {INTERFACE} configured", self.harness.log("cwmp-agent"))
        self.assertEqual(addresses(), [])
        self.harness.queue_task(self.device_id, {
            "name": "addObject", "objectName": "Device.IP.Interface.1.IPv4Address."})
        self.run_task({"name": "addObject",
                       "objectName": "Device.Routing.Router.1.IPv4Forwarding."})

        self.set_values({IPV4 + "Enable": "true", IPV4 + "IPAddress": "10.77.0.10",
                         IPV4 + "SubnetMask": "255.255.255.0", ROUTE + "Enable": "true",
                         ROUTE + "GatewayIPAddress": "10.77.0.1"})
        self.assertEqual(addresses(), ["10.77.0.10/24"])
        self.assertEqual(default_gateways(), ["10.77.0.1"])
        self.assertEqual(self.values(IPV4 + "AddressingType", IPV4 + "Status",
                                     "Device.IP.Interface.1.Name"),
                         ["Static", "Enabled", INTERFACE])

        # A non-contiguous mask: fault 9007 on the mask, nothing changes.
        self.harness.queue_task(self.device_id, self.spv({IPV4 + "IPAddress": "10.77.0.99",
                                                          IPV4 + "SubnetMask": "255.0.255.0"}))
        self.assertEqual(self.values(IPV4 + "IPAddress"), ["10.77.0.10"])
        fault = wait_for("the SetParameterValues fault",
                         lambda: next(iter(self.harness.nbi("GET", "/faults")[1]), None),
                         timeout=30)
        self.assertEqual([(entry["parameterName"], entry["faultCode"])
                          for entry in fault["detail"]["setParameterValuesFault"]],
                         [(IPV4 + "SubnetMask", "9007")], fault)
        self.assertEqual(addresses(), ["10.77.0.10/24"])

        # A new address and gateway replace the old ones in one change.
        self.set_values({IPV4 + "IPAddress": "10.78.0.20", ROUTE + "GatewayIPAddress": "10.78.0.1"})
        self.assertEqual(addresses(), ["10.78.0.20/24"])
        self.assertEqual(default_gateways(), ["10.78.0.1"])

        # DHCP: the static configuration goes; the address waits for a lease.
        self.harness.queue_task(self.device_id, self.spv({DHCPV4: "true"}))
        self.assertEqual(self.values(IPV4 + "AddressingType", IPV4 + "IPAddress"), ["DHCP", ""])
        self.assertEqual(addresses(), [])
        self.assertEqual(default_gateways(), [])

if __name__ == "__main__":
    unittest.main()
