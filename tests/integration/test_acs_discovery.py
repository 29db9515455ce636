"""ACS discovery end to end, in two network namespaces this test creates and
joins with a veth pair: in the "network" namespace dnsmasq hands out
addresses and, to the vendor class dslforum.org, option 43 sub-option 1 with
the URL of acs-sim, which listens on the veth address there; in the "phone"
namespace cwmp-agent runs with --interface and no --acs-url. The agent must
get a lease, configure the address, discover the ACS and inform it with
0 BOOTSTRAP. Then the ACS switches the phone to a static address and DHCP
off in one SetParameterValues (the lease is released), and back to DHCP (a
lease again).

The test process enters the network namespace (setns) so that the harness
and its NBI calls reach acs-sim there. Everything is torn down, also when
the test fails. Needs root, `ip netns` and dnsmasq; skipped otherwise."""
import os
import socket
import tempfile
import unittest
import uuid

from netns_lab import NetnsLab, missing_prerequisite
from phonecwmp_harness import Harness, parameter, wait_for

SERVER_ADDRESS = "10.233.0.1"
STATIC_ADDRESS = "10.233.0.50"
PHONE_INTERFACE = "phone0"
DHCPV4 = "Device.DHCPv4.Client.1."
IPV4 = "Device.IP.Interface.1.IPv4Address.1."

SKIP_REASON = missing_prerequisite()


@unittest.skipIf(SKIP_REASON is not None, SKIP_REASON or "")
class NamespaceFixture(unittest.TestCase):
    """The two namespaces, dnsmasq, acs-sim and the agent; no tests itself."""

    def setUp(self):
        self.work = tempfile.TemporaryDirectory(prefix="phonecwmp-acs-discovery-")
        self.addCleanup(self.work.cleanup)
        # Cleanups run last-registered first: the lab (dnsmasq, namespaces)
        # goes after the programs have stopped.
        self.lab = NetnsLab("pcacs", SERVER_ADDRESS, self.work.name, PHONE_INTERFACE)
        self.addCleanup(self.lab.close)
        self.lab.create()
        self.network_ns, self.phone_ns = self.lab.network_ns, self.lab.phone_ns
        self.server_if, self.lease_file = self.lab.server_if, self.lab.lease_file
        self.lab.enter_network_namespace()

        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self._dump_logs_on_failure)
        self.harness.start_acs_sim(cwmp_listen=f"{SERVER_ADDRESS}:0")
        self.acs_url = f"http://{self.harness.cwmp_endpoint}/"
        self.lab.start_dnsmasq("10.233.0.100,10.233.0.150,255.255.255.0,2m",
                               [f'dhcp-option=vendor:dslforum.org,1,"{self.acs_url}"'])

        self.serial = "DSC" + uuid.uuid4().hex[:9].upper()
        # No --acs-url: the URL can only come from DHCP. Periodic Informs
        # every 2 s bring the queued tasks (acs-sim cannot reach the phone's
        # namespace for a connection request).
        args = ["ip", "netns", "exec", self.phone_ns,
                os.path.join(self.harness.bin_dir, "cwmp-agent"),
                "--state-dir", os.path.join(self.work.name, "agent-state"),
                "--log-level", "info", "--interface", PHONE_INTERFACE,
                "--cr-listen", "127.0.0.1:0"]
        settings = {"Device.DeviceInfo.SerialNumber": self.serial,
                    "Device.ManagementServer.PeriodicInformEnable": "true",
                    "Device.ManagementServer.PeriodicInformInterval": "2",
                    "Device.DHCPv6.Client.1.Enable": "false"}
        settings.update(self.extra_agent_settings())
        for path, value in settings.items():
            args += ["--set", f"{path}={value}"]
        self.harness._spawn("cwmp-agent", args)

    def extra_agent_settings(self):
        """More --set values for the agent (set up before it starts)."""
        return {}

    def dnsmasq_text(self):
        return self.lab.dnsmasq_text()

    def leases(self):
        return self.lab.leases()

    def _dump_logs_on_failure(self):
        self.harness.print_logs_if_failed(self)
        result = getattr(getattr(self, "_outcome", None), "result", None)
        if getattr(result, "errors", []) or getattr(result, "failures", []):
            print("---- dnsmasq log ----\n" + self.dnsmasq_text())

    def phone_addresses(self):
        return self.lab.phone_addresses()

    def leased_address(self):
        addresses = [a for a in self.phone_addresses() if a.startswith("10.233.0.1")]
        return addresses[0] if len(addresses) == 1 else None

    def device_value(self, path):
        found = self.harness.devices(query={"_id": self.device_id}, projection=path)
        leaf = parameter(found[0], path) if found else None
        return leaf["_value"] if leaf else None

    def spv(self, values):
        return {"name": "setParameterValues",
                "parameterValues": [
                    [path, value, "xsd:boolean" if value in ("true", "false") else "xsd:string"]
                    for path, value in values.items()]}


class AcsDiscoveryInNamespaces(NamespaceFixture):
    def test_discovers_the_acs_and_switches_between_dhcp_and_static(self):
        device = wait_for("the agent's Inform to the discovered ACS",
                          lambda: self.harness.device_by_serial(self.serial), timeout=60)
        self.device_id = device["_id"]
        self.assertIn("0 BOOTSTRAP", [event["code"] for event in device["_lastEvents"]])
        self.assertIn("_lastBootstrap", device)
        log = self.harness.log("cwmp-agent")
        self.assertIn(f"ACS {self.acs_url} discovered through DHCPv4 option 43", log)

        leased = wait_for("the leased address on the phone's interface",
                          self.leased_address, timeout=30)
        address = leased.split("/")[0]
        self.assertTrue(leased.endswith("/24"), leased)
        self.assertIn(address, self.leases())

        self.harness.queue_task(self.device_id, {
            "name": "getParameterValues",
            "parameterNames": [DHCPV4 + "IPAddress", DHCPV4 + "DHCPServer",
                               "Device.ManagementServer.URL"]})
        wait_for("DHCPv4.Client.1.IPAddress through getParameterValues",
                 lambda: self.device_value(DHCPV4 + "IPAddress") == address, timeout=60)
        self.assertEqual(self.device_value(DHCPV4 + "DHCPServer"), SERVER_ADDRESS)
        self.assertEqual(self.device_value("Device.ManagementServer.URL"), self.acs_url)

        # Static: DHCP off and the address in one SetParameterValues. The
        # session that carries it loses its source address on the way; the
        # kernel state shows what the agent did.
        self.harness.queue_task(self.device_id, {
            "name": "addObject", "objectName": "Device.IP.Interface.1.IPv4Address."})
        self.harness.queue_task(self.device_id, self.spv({
            DHCPV4 + "Enable": "false", IPV4 + "Enable": "true",
            IPV4 + "IPAddress": STATIC_ADDRESS, IPV4 + "SubnetMask": "255.255.255.0"}))
        wait_for("the static address alone on the interface",
                 lambda: self.phone_addresses() == [f"{STATIC_ADDRESS}/24"], timeout=90)
        wait_for("dnsmasq to see the lease released",
                 lambda: "DHCPRELEASE" in self.dnsmasq_text()
                 and address not in self.leases(), timeout=10)

        # Back to DHCP: the static address goes, a lease comes.
        self.harness.queue_task(self.device_id, self.spv({DHCPV4 + "Enable": "true"}))
        wait_for("a lease on the interface again", self.leased_address, timeout=90)
        self.assertNotIn(f"{STATIC_ADDRESS}/24", self.phone_addresses())
        wait_for("dnsmasq to record the new lease",
                 lambda: (self.leased_address() or "-/").split("/")[0] in self.leases(),
                 timeout=10)



class SipTimeoutRenewalInNamespaces(NamespaceFixture):
    """DHCP Timeout on Renewal: the line's registrar is a UDP socket in the
    network namespace that never answers (and draws no ICMP error), and
    X_PHONECWMP_SIPTimeoutRenewal is 3 s: the unanswered REGISTER makes the
    DHCP client renew its lease (DHCPREQUEST) long before T1 (60 s of the
    2 min lease); the same address back re-registers nothing."""

    def extra_agent_settings(self):
        self.silent_registrar = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(self.silent_registrar.close)
        self.silent_registrar.bind((SERVER_ADDRESS, 0))
        network = "Device.Services.VoiceService.1.SIP.Network.1."
        client = "Device.Services.VoiceService.1.SIP.Client.1."
        return {DHCPV4 + "X_PHONECWMP_SIPTimeoutRenewal": "3",
                network + "Enable": "true",
                network + "RegistrarServer": SERVER_ADDRESS,
                network + "RegistrarServerPort": str(self.silent_registrar.getsockname()[1]),
                network + "RegisterRetryInterval": "2",
                client + "Enable": "true",
                client + "RegisterURI": "sip:1000@example.com",
                client + "AuthUserName": "1000"}

    def test_a_silent_registrar_renews_the_lease(self):
        wait_for("the leased address on the phone's interface", self.leased_address, timeout=30)
        address = self.leased_address().split("/")[0]
        wait_for("a REGISTER at the silent registrar",
                 lambda: self._registrar_received(), timeout=60)
        wait_for("the agent renewing because the registrar is silent",
                 lambda: "(X_PHONECWMP_SIPTimeoutRenewal 3 s): renewing"
                 in self.harness.log("cwmp-agent"), timeout=30)
        wait_for("dnsmasq to answer the renewal",
                 lambda: self.dnsmasq_text().count(f"DHCPACK({self.server_if}) {address}") >= 2,
                 timeout=15)
        self.assertEqual(self.leased_address().split("/")[0], address)
        self.assertNotIn("SIP: the phone's address changed", self.harness.log("cwmp-agent"))

    def _registrar_received(self):
        self.silent_registrar.setblocking(False)
        try:
            data = self.silent_registrar.recv(65535)
        except BlockingIOError:
            return False
        return data.startswith(b"REGISTER ")


if __name__ == "__main__":
    unittest.main()
