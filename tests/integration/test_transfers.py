"""Download with the real cwmp-agent: a purpose-built ACS (acs-sim has no
download task yet) sends Download in a session; the file comes from a local
HTTP file server; the TransferComplete arrives in a later session after the
InformResponse, with "7 TRANSFER COMPLETE" and "M Download" in the Inform,
also when the agent was restarted before it could deliver it."""
import http.server
import os
import re
import threading
import unittest
import xml.etree.ElementTree as ET

from phonecwmp_harness import Harness, wait_for

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CWMP = "urn:dslforum-org:cwmp-1-0"
TONE = b"RIFF-test-tone-" + bytes(range(64))


def envelope(request_id, body):
    return (f'<soap-env:Envelope xmlns:soap-env="{SOAP}" xmlns:cwmp="{CWMP}">'
            f'<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">{request_id}</cwmp:ID>'
            f'</soap-env:Header><soap-env:Body>{body}</soap-env:Body></soap-env:Envelope>'
            ).encode()


def download_body(key, url, size, target):
    return (f"<cwmp:Download><CommandKey>{key}</CommandKey><FileType>4 Tone File</FileType>"
            f"<URL>{url}</URL><Username></Username><Password></Password>"
            f"<FileSize>{size}</FileSize><TargetFileName>{target}</TargetFileName>"
            f"<DelaySeconds>0</DelaySeconds><SuccessURL></SuccessURL><FailureURL></FailureURL>"
            f"</cwmp:Download>")


def local(tag):
    return tag.rsplit("}", 1)[-1]


class TestAcs:
    """CWMP on /acs and files on /files/ of one loopback server. Records every
    CPE message as (method, details)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages = []          # (method, dict) in arrival order
        self.downloads = []         # Download bodies still to send
        self.refuse_informs_with_transfer_complete = False
        self.files = {"/files/ring.wav": TONE}
        acs = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def reply(self, status, body=b"", content_type="text/xml"):
                self.send_response(status)
                if body:
                    self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                data = acs.files.get(self.path)
                if data is None:
                    self.reply(404, b"not here", "text/plain")
                else:
                    self.reply(200, data, "application/octet-stream")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                if length > 1024 * 1024:
                    self.reply(413)
                    return
                raw = self.rfile.read(length)
                status, body = acs.answer(raw)
                self.reply(status, body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def answer(self, raw):
        with self.lock:
            if not raw.strip():
                self.messages.append(("empty", {}))
                if self.downloads:
                    return 200, envelope("dl-1", self.downloads.pop(0))
                return 204, b""
            root = ET.fromstring(raw)
            body = next(child for child in root if local(child.tag) == "Body")
            request = list(body)[0]
            method = local(request.tag)
            details = {}
            if method == "Inform":
                details["events"] = [
                    (e.findtext("EventCode"), e.findtext("CommandKey") or "")
                    for e in request.iter("EventStruct")]
                self.messages.append((method, details))
                if (self.refuse_informs_with_transfer_complete and
                        any(code == "7 TRANSFER COMPLETE" for code, _ in details["events"])):
                    return 503, b""
                return 200, envelope("inf", "<cwmp:InformResponse><MaxEnvelopes>1"
                                            "</MaxEnvelopes></cwmp:InformResponse>")
            if method == "TransferComplete":
                details = {name: request.findtext(name) or "" for name in
                           ("CommandKey", "StartTime", "CompleteTime")}
                details["FaultCode"] = request.findtext("FaultStruct/FaultCode")
                details["FaultString"] = request.findtext("FaultStruct/FaultString") or ""
                self.messages.append((method, details))
                return 200, envelope("tc", "<cwmp:TransferCompleteResponse/>")
            if method == "DownloadResponse":
                details["Status"] = request.findtext("Status")
            self.messages.append((method, details))
            if self.downloads:
                return 200, envelope("dl-n", self.downloads.pop(0))
            return 204, b""

    def seen(self, method):
        with self.lock:
            return [details for m, details in self.messages if m == method]

    def methods(self):
        with self.lock:
            return [m for m, _ in self.messages]


class Transfers(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.acs = TestAcs()
        self.addCleanup(self.acs.close)
        self.addCleanup(self._dump_logs_on_failure)
        self.state_dir = os.path.join(self.harness.workdir, "agent-state")

    def _dump_logs_on_failure(self):
        outcome = getattr(self, "_outcome", None)
        result = getattr(outcome, "result", None)
        if getattr(result, "errors", []) or getattr(result, "failures", []):
            print(self.harness.log("cwmp-agent")[-6000:])

    def start_agent(self):
        return self.harness.start_agent(self.acs.url("/acs"), {}, state_dir=self.state_dir)

    def test_transfer_complete_survives_a_restart_and_follows_the_inform_response(self):
        self.acs.downloads.append(
            download_body("ring-1", self.acs.url("/files/ring.wav"), len(TONE), "ring.wav"))
        self.acs.refuse_informs_with_transfer_complete = True
        agent = self.start_agent()
        wait_for("the DownloadResponse", lambda: self.acs.seen("DownloadResponse"), 20)
        self.assertEqual(self.acs.seen("DownloadResponse")[0]["Status"], "1")
        stored = os.path.join(self.state_dir, "files", "tones", "ring.wav")
        wait_for("the tone file", lambda: os.path.exists(stored), 20)
        with open(stored, "rb") as f:
            self.assertEqual(f.read(), TONE)
        wait_for("an Inform with TRANSFER COMPLETE (refused)", lambda: any(
            ("7 TRANSFER COMPLETE", "") in inform["events"]
            for inform in self.acs.seen("Inform")), 20)
        self.assertFalse(self.acs.seen("TransferComplete"))

        # Restarted before the ACS took the TransferComplete: it is still owed.
        self.harness.stop(agent)
        self.acs.refuse_informs_with_transfer_complete = False
        informs_before = len(self.acs.seen("Inform"))
        self.start_agent()
        wait_for("the TransferComplete", lambda: self.acs.seen("TransferComplete"), 20)
        complete = self.acs.seen("TransferComplete")[0]
        self.assertEqual(complete["CommandKey"], "ring-1")
        self.assertEqual(complete["FaultCode"], "0")
        self.assertRegex(complete["StartTime"], r"^\d{4}-\d\d-\d\dT")
        self.assertNotEqual(complete["CompleteTime"], "0001-01-01T00:00:00Z")
        inform = self.acs.seen("Inform")[informs_before]
        self.assertIn(("1 BOOT", ""), inform["events"])
        self.assertIn(("7 TRANSFER COMPLETE", ""), inform["events"])
        self.assertIn(("M Download", "ring-1"), inform["events"])
        methods = self.acs.methods()
        at = methods.index("TransferComplete")
        self.assertEqual(methods[at - 1], "Inform", "TransferComplete right after the Inform")
        # Delivered once: later sessions no longer carry the events.
        wait_for("the session's end", lambda: self.acs.methods()[-1] == "empty", 20)
        self.assertEqual(len(self.acs.seen("TransferComplete")), 1)

    def test_missing_file_and_wrong_size_are_reported_with_their_fault_codes(self):
        self.acs.downloads.append(
            download_body("gone", self.acs.url("/files/nothing.wav"), 0, "x.wav"))
        self.acs.downloads.append(
            download_body("size", self.acs.url("/files/ring.wav"), len(TONE) + 1, "y.wav"))
        self.start_agent()
        wait_for("both TransferCompletes",
                 lambda: len(self.acs.seen("TransferComplete")) >= 2, 30)
        by_key = {tc["CommandKey"]: tc for tc in self.acs.seen("TransferComplete")}
        gone, size = by_key["gone"], by_key["size"]
        self.assertEqual((gone["CommandKey"], gone["FaultCode"]), ("gone", "9016"))
        self.assertEqual((size["CommandKey"], size["FaultCode"]), ("size", "9018"))
        self.assertTrue(re.search(r"FileSize", size["FaultString"]), size["FaultString"])
        self.assertFalse(os.path.exists(os.path.join(self.state_dir, "files", "tones", "y.wav")))


if __name__ == "__main__":
    unittest.main()
