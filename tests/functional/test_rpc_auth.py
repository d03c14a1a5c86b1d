#!/usr/bin/env python3
"""RPC authentication: the cookie, --rpcuser/--rpcpassword, --rpcauth, and what an
unauthenticated or wrongly authenticated client gets (HTTP 401, nothing else)."""

import http.client
import json
import os
import socket
import stat

from test_framework import (CairnTestFramework, assert_equal, assert_in,
                            assert_raises_command_error, basic_auth_header, rpcauth_entry)

REQUEST = json.dumps({"jsonrpc": "2.0", "id": 7, "method": "getblockcount", "params": []})


class RpcAuthTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.produce = False
        self.start_nodes_at_setup = False

    def assert_401(self, node, auth):
        status, body, headers = node.http(REQUEST, auth=auth)
        assert_equal(status, 401, msg="auth %r" % (auth,))
        assert_equal(body, b"", msg="a 401 says nothing more")
        assert_in("basic", headers.get("www-authenticate", "").lower())

    def assert_ok(self, node, auth):
        status, body, _ = node.http(REQUEST, auth=auth)
        assert_equal(status, 200, msg="auth %r: %r" % (auth, body))
        reply = json.loads(body)
        assert_equal(reply["id"], 7)
        assert_equal(reply["result"], 0)

    @staticmethod
    def non_loopback_ipv4():
        """This machine's address on its default route, if it has one (nothing is sent)."""
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect(("192.0.2.123", 9))
                ip = s.getsockname()[0]
        except OSError:
            return None
        return None if ip.startswith("127.") or ip == "0.0.0.0" else ip

    def http_from(self, node, host, auth):
        conn = http.client.HTTPConnection(host, node.rpcport, timeout=10)
        try:
            headers = {"Content-Type": "application/json"}
            if auth == "cookie":
                headers["Authorization"] = node.auth_header()
            conn.request("POST", "/", body=REQUEST, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def run_test(self):
        node = self.nodes[0]
        rpcauth_user, rpcauth_pw = "bob", "hunter2 with spaces:and colon"
        entry = rpcauth_entry(rpcauth_user, rpcauth_pw)
        node.start(extra_args=["--rpcuser=alice", "--rpcpassword=s3cret",
                               "--rpcauth=" + entry,
                               # A second entry for the same user: either password works.
                               "--rpcauth=" + rpcauth_entry("bob", "second")])

        self.log("cookie file: 0600, __cookie__ user")
        mode = stat.S_IMODE(os.stat(node.cookie_path).st_mode)
        assert_equal(oct(mode), oct(0o600))
        with open(node.cookie_path) as f:
            cookie = f.read()
        user, _, password = cookie.strip().partition(":")
        assert_equal(user, "__cookie__")
        assert_equal(len(password), 64)
        int(password, 16)

        self.log("no or bad credentials: 401 with an empty body")
        self.assert_401(node, None)
        self.assert_401(node, ("__cookie__", "0" * 64))
        self.assert_401(node, ("__cookie__", password[:-1]))
        self.assert_401(node, ("__cookie__", password + "0"))
        self.assert_401(node, ("alice", "wrong"))
        self.assert_401(node, ("alice", ""))
        self.assert_401(node, ("Alice", "s3cret"))
        self.assert_401(node, ("bob", "s3cret"))          # a user's password is not another's
        self.assert_401(node, ("alice", rpcauth_pw))
        self.assert_401(node, (rpcauth_user, "hunter2"))
        self.assert_401(node, "Bearer " + password)       # not Basic
        self.assert_401(node, "Basic !!!not-base64!!!")
        self.assert_401(node, "Basic ")
        self.assert_401(node, basic_auth_header("", ""))

        self.log("good credentials work")
        self.assert_ok(node, "cookie")
        self.assert_ok(node, ("__cookie__", password))
        self.assert_ok(node, ("alice", "s3cret"))
        self.assert_ok(node, (rpcauth_user, rpcauth_pw))
        self.assert_ok(node, ("bob", "second"))

        self.log("GET with good credentials: 405; GET without: 401")
        status, _, _ = node.http("", auth="cookie", method="GET")
        assert_equal(status, 405)
        status, _, _ = node.http("", auth=None, method="GET")
        assert_equal(status, 401)

        self.log("cairn-cli: cookie, -rpcuser/-rpcpassword, wrong password")
        assert_equal(node.cli("getblockcount"), "0")
        assert_equal(node.cli("getblockcount", options=["-rpcuser=alice", "-rpcpassword=s3cret"]), "0")
        assert_equal(node.cli("getblockcount", options=["-rpcuser=bob",
                                                        "-rpcpassword=" + rpcauth_pw]), "0")
        assert_raises_command_error(1, "incorrect rpcuser or rpcpassword", node.cli,
                                    "getblockcount",
                                    options=["-rpcuser=alice", "-rpcpassword=nope"])

        self.log("clean stop removes the cookie; a restart writes a new one")
        node.stop()
        assert not os.path.exists(node.cookie_path), "cookie left after a clean stop"
        node.start(extra_args=[])
        with open(node.cookie_path) as f:
            cookie2 = f.read().strip()
        assert cookie2 != cookie.strip(), "the cookie must change across restarts"
        self.assert_401(node, ("__cookie__", password))
        # Without --rpcuser/--rpcauth now, those credentials are gone.
        self.assert_401(node, ("alice", "s3cret"))
        self.assert_401(node, (rpcauth_user, rpcauth_pw))
        self.assert_ok(node, "cookie")
        assert_raises_command_error(1, "cookie", node.cli, "getblockcount",
                                    options=["-datadir=" + os.path.join(self.tmpdir, "nowhere")])
        node.stop()

        self.log("--rpcbind/--rpcallowip: other addresses get 403 before any auth check")
        local_ip = self.non_loopback_ipv4()
        if local_ip is None:
            self.log("no non-loopback IPv4 address: skipped")
        else:
            node.start(extra_args=["--rpcbind=0.0.0.0"])
            self.assert_ok(node, "cookie")  # loopback is always allowed
            for auth in ("cookie", None):
                status, body = self.http_from(node, local_ip, auth)
                assert_equal(status, 403, msg="from %s without --rpcallowip" % local_ip)
                assert_equal(body, b"")
            node.stop()
            node.start(extra_args=["--rpcbind=0.0.0.0", "--rpcallowip=%s/32" % local_ip])
            status, body = self.http_from(node, local_ip, "cookie")
            assert_equal(status, 200)
            assert_equal(json.loads(body)["result"], 0)
            assert_equal(self.http_from(node, local_ip, None)[0], 401)
            node.stop()
            node.run_expect_failure(["--rpcallowip=300.1.2.3"], expected_stderr="rpcallowip")
            node.run_expect_failure(["--rpcallowip=10.0.0.0/33"], expected_stderr="rpcallowip")

        self.log("malformed credential options are startup errors")
        node.run_expect_failure(["--rpcauth=bob"], expected_stderr="rpcauth")
        node.run_expect_failure(["--rpcauth=bob:salt$nothex"], expected_stderr="rpcauth")
        node.run_expect_failure(["--rpcauth=:salt$" + "0" * 64], expected_stderr="rpcauth")
        node.run_expect_failure(["--rpcuser=alice"], expected_stderr="--rpcpassword")
        node.run_expect_failure(["--rpcpassword=x"], expected_stderr="--rpcuser")


if __name__ == "__main__":
    RpcAuthTest().main()
