"""The agent without root, as packaging/cwmp-agent.service runs it: user
nobody (65534), no groups, only CAP_NET_ADMIN, CAP_NET_RAW and
CAP_NET_BIND_SERVICE (ambient, and the bounding set cut down to them), on a
state folder it owns. It binds its connection-request server and its SIP
endpoint below 1024 on loopback, informs acs-sim and answers a connection
request. Its core dumps are off: the kernel makes /proc/PID of a
non-dumpable process owned by root, not by the process's user.

Needs root (to drop to nobody) and setpriv; skipped otherwise."""
import os
import shutil
import socket
import unittest
import uuid

from phonecwmp_harness import Harness, curl_digest, parameter, wait_for

NOBODY = 65534
CAPS = "net_admin,net_raw,net_bind_service"
# CAP_NET_BIND_SERVICE (10), CAP_NET_ADMIN (12), CAP_NET_RAW (13)
CAP_MASK = (1 << 10) | (1 << 12) | (1 << 13)
CR_URL = "Device.ManagementServer.ConnectionRequestURL"
NETWORK = "Device.Services.VoiceService.1.SIP.Network.1."
SETPRIV = shutil.which("setpriv")


def free_privileged_port(kind, avoid=(), preferred=()):
    """A loopback port below 1024 free for `kind` (SOCK_STREAM/SOCK_DGRAM)."""
    for port in list(preferred) + list(range(1023, 600, -1)):
        if port in avoid:
            continue
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 1024 on loopback")


def status_fields(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


@unittest.skipUnless(os.geteuid() == 0 and SETPRIV, "needs root and setpriv")
class Unprivileged(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.addCleanup(self.harness.print_logs_if_failed, self)

    def test_boots_binds_low_ports_and_informs_with_three_capabilities(self):
        self.harness.start_acs_sim()
        # nobody must reach the binary and its data files, and own its state.
        os.chmod(self.harness.workdir, 0o755)
        state_dir = os.path.join(self.harness.workdir, "nobody-state")
        os.mkdir(state_dir, 0o700)
        os.chown(state_dir, NOBODY, NOBODY)
        cr_port = free_privileged_port(socket.SOCK_STREAM)
        sip_port = free_privileged_port(socket.SOCK_DGRAM, avoid={cr_port})
        serial = "NOBODY" + uuid.uuid4().hex[:6].upper()
        user, password = "acs-" + uuid.uuid4().hex[:6], "pw-" + uuid.uuid4().hex
        values = {"Device.DeviceInfo.SerialNumber": serial,
                  "Device.ManagementServer.ConnectionRequestUsername": user,
                  "Device.ManagementServer.ConnectionRequestPassword": password,
                  NETWORK + "UserAgentPort": sip_port}
        args = [SETPRIV, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
                f"--inh-caps=-all,+{CAPS.replace(',', ',+')}",
                f"--ambient-caps=+{CAPS.replace(',', ',+')}",
                f"--bounding-set=-all,+{CAPS.replace(',', ',+')}", "--",
                os.path.join(self.harness.bin_dir, "cwmp-agent"), "--acs-url",
                self.harness.acs_url, "--state-dir", state_dir, "--log-level", "info",
                "--cr-listen", f"127.0.0.1:{cr_port}", "--sip-listen", "127.0.0.1"]
        for path, value in values.items():
            args += ["--set", f"{path}={value}"]
        agent = self.harness._spawn("cwmp-agent", args)

        def device_with_url():
            device = self.harness.device_by_serial(serial, projection=f"{CR_URL},_deviceId")
            leaf = parameter(device, CR_URL) if device else None
            return leaf.get("_value") if leaf and leaf.get("_value") else None

        url = wait_for("the unprivileged agent's first Inform", device_with_url, timeout=30)
        self.assertEqual(url.split("/")[2], f"127.0.0.1:{cr_port}")
        wait_for("the SIP endpoint to listen",
                 lambda: f"SIP endpoint listening on UDP 127.0.0.1:{sip_port}"
                 in self.harness.log("cwmp-agent"), timeout=15)
        wait_for("the boot session to end",
                 lambda: "session: ended by the ACS" in self.harness.log("cwmp-agent"),
                 timeout=30)
        self.assertEqual(curl_digest(url, user, password), 200)

        fields = status_fields(agent.pid)
        self.assertEqual(fields["Uid"].split()[:2], [str(NOBODY)] * 2)
        self.assertEqual(fields["Groups"].strip(), "")
        self.assertEqual(int(fields["CapEff"], 16), CAP_MASK)
        self.assertEqual(int(fields["CapBnd"], 16), CAP_MASK)
        # Not dumpable: /proc/PID belongs to root, not to the agent's user.
        self.assertEqual(os.stat(f"/proc/{agent.pid}/status").st_uid, 0)
        store = os.path.join(state_dir, "store.sqlite")
        self.assertEqual(os.stat(store).st_uid, NOBODY)
        self.assertEqual(os.stat(store).st_mode & 0o077, 0)
        print(f"\n[unprivileged] uid {NOBODY}, CapEff {fields['CapEff']}, "
              f"CR on 127.0.0.1:{cr_port}, SIP on udp 127.0.0.1:{sip_port}", flush=True)


if __name__ == "__main__":
    unittest.main()
