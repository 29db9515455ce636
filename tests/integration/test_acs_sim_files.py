"""acs-sim's files with the real binary: PUT /files/<name> on the NBI with
GenieACS's metadata headers, GET /files in GenieACS's shape, the file
server of --fs-listen (published as "fs" in the ready file) serving the
content with its Content-Length (HEAD too, 404 for an unknown name),
DELETE /files/<name>, and files kept across a restart with the same --db."""
import os
import urllib.error
import urllib.request
import unittest

from phonecwmp_harness import Harness

CONTENT = b"<configuration>" + os.urandom(3000).hex().encode() + b"</configuration>"


class AcsSimFiles(unittest.TestCase):
    def setUp(self):
        self.harness = Harness(os.environ.get("PHONECWMP_BIN_DIR", "build/bin"))
        self.addCleanup(self.harness.__exit__, None, None, None)
        self.db = os.path.join(self.harness.workdir, "acs-sim.sqlite")

    def start_acs_sim(self):
        process = self.harness.start_acs_sim(db=self.db, options=["--fs-listen", "127.0.0.1:0"])
        self.fs_url = self.harness.acs_ready["fs"]["url"]
        return process

    def upload(self, name, content, headers):
        request = urllib.request.Request(f"http://{self.harness.nbi_endpoint}/files/{name}",
                                         data=content, method="PUT", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def fetch(self, name, method="GET"):
        request = urllib.request.Request(self.fs_url + name, method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, b""

    def test_upload_serve_list_delete_and_restart(self):
        acs = self.start_acs_sim()
        status = self.upload("phone%20config.xml", CONTENT, {
            "fileType": "3 Vendor Configuration File", "oui": "00256D",
            "productClass": "IPPhone", "version": "7"})
        self.assertEqual(status, 201)
        self.assertEqual(self.upload("untyped.bin", b"x", {}), 400)

        status, headers, body = self.fetch("phone%20config.xml")
        self.assertEqual(status, 200)
        self.assertEqual(body, CONTENT)
        self.assertEqual(int(headers["Content-Length"]), len(CONTENT))
        status, headers, body = self.fetch("phone%20config.xml", "HEAD")
        self.assertEqual(status, 200)
        self.assertEqual(int(headers["Content-Length"]), len(CONTENT))
        self.assertEqual(self.fetch("absent.xml")[0], 404)

        self.harness.stop(acs)
        self.start_acs_sim()
        status, files = self.harness.nbi("GET", "/files")
        self.assertEqual(status, 200)
        self.assertEqual(len(files), 1, files)
        self.assertEqual(files[0]["_id"], "phone config.xml")
        self.assertEqual(files[0]["length"], len(CONTENT))
        self.assertEqual(files[0]["metadata"], {
            "fileType": "3 Vendor Configuration File", "oui": "00256D",
            "productClass": "IPPhone", "version": "7"})
        self.assertEqual(self.fetch("phone%20config.xml")[2], CONTENT)

        status, _ = self.harness.nbi("DELETE", "/files/phone%20config.xml")
        self.assertEqual(status, 200)
        self.assertEqual(self.fetch("phone%20config.xml")[0], 404)
        self.assertEqual(self.harness.nbi("GET", "/files"), (200, []))


if __name__ == "__main__":
    unittest.main()
