#!/usr/bin/env python3
"""A small functional test framework for Cairn, in the style of Bitcoin Core's.

Each test subclasses CairnTestFramework, overrides set_test_params() and run_test(), and ends
with `if __name__ == "__main__": MyTest().main()`. main() parses the command line, creates a
temporary directory, starts the requested number of real cairnd processes on free loopback
ports (devnet), runs the test, and always kills every process it started.

Python 3 standard library only. Every wait is bounded in time.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

# The published devnet faucet: secret key SHA256("cairn devnet faucet").
FAUCET_SECRET = hashlib.sha256(b"cairn devnet faucet").hexdigest()
assert FAUCET_SECRET == "add2d0eb5fdc56548bba0da5f277d5292da22bfe2bd7f76fa96e8c65d2cbfe5c"
FAUCET_BALANCE_UNITS = 1_000_000_000 * 10**8
COIN = 10**8
NETWORK = "devnet"

# Lines of each node's debug.log printed when a test fails.
LOG_TAIL_LINES = 40


class TestFailure(AssertionError):
    pass


class JSONRPCException(Exception):
    """A JSON-RPC error reply: carries the code and message (and the HTTP status)."""

    def __init__(self, code, message, http_status=None):
        super().__init__("JSON-RPC error %s: %s" % (code, message))
        self.code = code
        self.message = message
        self.http_status = http_status
        self.error = {"code": code, "message": message}


class CommandError(Exception):
    """A program (cairn-cli, cairn-wallet) exited with a non-zero status."""

    def __init__(self, argv, returncode, stdout, stderr):
        super().__init__("%s exited %s\nstdout: %s\nstderr: %s" %
                         (" ".join(argv), returncode, stdout.strip(), stderr.strip()))
        self.argv = argv
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


# ---------------------------------------------------------------------------------------------
# Assertion helpers


def assert_equal(a, b, *more, msg=None):
    values = (a, b) + more
    if any(v != a for v in values):
        raise TestFailure("not equal: %s%s" % (" != ".join(repr(v) for v in values),
                                                " (%s)" % msg if msg else ""))


def assert_true(cond, msg="condition is false"):
    if not cond:
        raise TestFailure(msg)


def assert_greater_than(a, b):
    if not a > b:
        raise TestFailure("%r is not greater than %r" % (a, b))


def assert_greater_than_or_equal(a, b):
    if not a >= b:
        raise TestFailure("%r is not greater than or equal to %r" % (a, b))


def assert_in(needle, haystack, msg=None):
    if needle not in haystack:
        text = repr(haystack)
        if len(text) > 600:
            text = text[:300] + " ... " + text[-300:]
        raise TestFailure("%r not found in %s%s" % (needle, text, " (%s)" % msg if msg else ""))


def assert_raises_rpc_error(code, message, fn, *args, **kwargs):
    """Calls fn(*args, **kwargs) and checks it raises JSONRPCException with this code (None: any)
    and a message containing `message` (None: any). Returns the exception."""
    try:
        fn(*args, **kwargs)
    except JSONRPCException as e:
        if code is not None and e.code != code:
            raise TestFailure("expected RPC error code %s, got %s (%s)" % (code, e.code, e.message))
        if message is not None and message not in e.message:
            raise TestFailure("expected RPC error message containing %r, got %r" %
                              (message, e.message))
        return e
    except Exception as e:
        raise TestFailure("expected JSONRPCException, got %s: %s" % (type(e).__name__, e))
    raise TestFailure("no exception raised (expected RPC error %s %r)" % (code, message))


def assert_raises_command_error(returncode, message, fn, *args, **kwargs):
    """Calls fn, expecting CommandError with this exit status and `message` in stderr."""
    try:
        fn(*args, **kwargs)
    except CommandError as e:
        if returncode is not None and e.returncode != returncode:
            raise TestFailure("expected exit status %s, got %s (stderr %r)" %
                              (returncode, e.returncode, e.stderr))
        if message is not None and message not in e.stderr:
            raise TestFailure("expected %r in stderr, got %r" % (message, e.stderr))
        return e
    raise TestFailure("command did not fail (expected exit %s, %r)" % (returncode, message))


def wait_until(predicate, timeout=10.0, interval=0.05, msg=None):
    """Polls predicate() until it returns a true value (returned) or the timeout expires."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise TestFailure("wait_until timed out after %.1fs%s" %
                              (timeout, ": " + msg if msg else ""))
        time.sleep(interval)


def free_port():
    """A free loopback TCP port, chosen by the kernel."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rpcauth_entry(user, password, salt=None):
    """The --rpcauth value for user/password: user:salt$hex(hmac_sha256(key=salt, msg=pw))."""
    if salt is None:
        salt = os.urandom(16).hex()
    digest = hmac.new(salt.encode(), password.encode(), hashlib.sha256).hexdigest()
    return "%s:%s$%s" % (user, salt, digest)


def basic_auth_header(user, password):
    token = base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
    return "Basic " + token


def to_units(amount_str):
    """Exact decimal CAIRN string -> integer base units (no floats)."""
    s = str(amount_str)
    whole, _, frac = s.partition(".")
    assert len(frac) <= 8, s
    return int(whole) * COIN + int((frac + "0" * 8)[:8])


# ---------------------------------------------------------------------------------------------
# Transaction encoding (primitives/transaction.cpp): LEB128 varints, fixed-size keys.
#   network_id varint | type varint | sender 32 | nonce varint | fee varint |
#   payload (varint length + bytes) | signature 64
# A transfer payload: recipient 32 | amount varint | memo (varint length + bytes).


def ser_varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def deser_varint(data, pos):
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def decode_tx(hex_tx):
    d = bytes.fromhex(hex_tx)
    tx = {}
    tx["network_id"], pos = deser_varint(d, 0)
    tx["type"], pos = deser_varint(d, pos)
    tx["sender"] = d[pos:pos + 32]
    pos += 32
    tx["nonce"], pos = deser_varint(d, pos)
    tx["fee"], pos = deser_varint(d, pos)
    n, pos = deser_varint(d, pos)
    tx["payload"] = d[pos:pos + n]
    pos += n
    tx["signature"] = d[pos:pos + 64]
    assert pos + 64 == len(d), "trailing bytes"
    return tx


def encode_tx(tx):
    return (ser_varint(tx["network_id"]) + ser_varint(tx["type"]) + tx["sender"] +
            ser_varint(tx["nonce"]) + ser_varint(tx["fee"]) + ser_varint(len(tx["payload"])) +
            tx["payload"] + tx["signature"]).hex()


def decode_transfer(payload):
    p = {"recipient": payload[:32]}
    p["amount"], pos = deser_varint(payload, 32)
    n, pos = deser_varint(payload, pos)
    p["memo"] = payload[pos:pos + n]
    assert pos + n == len(payload)
    return p


def encode_transfer(p):
    return p["recipient"] + ser_varint(p["amount"]) + ser_varint(len(p["memo"])) + p["memo"]


# ---------------------------------------------------------------------------------------------
# Nodes


class TestNode:
    """One cairnd process with its own data directory and RPC port."""

    def __init__(self, index, tmpdir, bindir, blocktime=200, produce=True, extra_args=None,
                 rpc_timeout=30):
        self.index = index
        self.bindir = bindir
        self.datadir_base = os.path.join(tmpdir, "node%d" % index)
        self.datadir = os.path.join(self.datadir_base, NETWORK)  # cairnd's network directory
        os.makedirs(self.datadir_base, exist_ok=True)
        self.rpcport = free_port()
        self.blocktime = blocktime
        self.produce = produce
        self.extra_args = list(extra_args or [])
        self.rpc_timeout = rpc_timeout
        self.process = None
        self.stdout_path = os.path.join(self.datadir_base, "stdout.txt")
        self.stderr_path = os.path.join(self.datadir_base, "stderr.txt")
        self._stdout = None
        self._stderr = None
        self.last_exit_status = None  # set when kill() finds the process already exited
        self.rpc_user = None  # if set, RPC uses these instead of the cookie
        self.rpc_password = None

    # -- paths

    @property
    def debug_log(self):
        return os.path.join(self.datadir, "debug.log")

    @property
    def cookie_path(self):
        return os.path.join(self.datadir, ".cookie")

    @property
    def url(self):
        return "http://127.0.0.1:%d/" % self.rpcport

    def cairnd_path(self):
        return os.path.join(self.bindir, "cairnd")

    # -- process control

    def args(self, extra_args=None, blocktime=None, produce=None):
        bt = self.blocktime if blocktime is None else blocktime
        pr = self.produce if produce is None else produce
        argv = [self.cairnd_path(), "--datadir=" + self.datadir_base, "--network=" + NETWORK,
                "--rpcport=%d" % self.rpcport, "--blocktime=%d" % bt,
                "--produce=%d" % (1 if pr else 0)]
        argv += self.extra_args if extra_args is None else list(extra_args)
        return argv

    def running(self):
        return self.process is not None and self.process.poll() is None

    def start(self, extra_args=None, blocktime=None, produce=None, wait=True, timeout=20):
        assert not self.running(), "node%d already running" % self.index
        if blocktime is not None:
            self.blocktime = blocktime
        if produce is not None:
            self.produce = produce
        if extra_args is not None:
            self.extra_args = list(extra_args)
        self._close_output()
        self._stdout = open(self.stdout_path, "ab")
        self._stderr = open(self.stderr_path, "ab")
        self.process = subprocess.Popen(self.args(), stdout=self._stdout, stderr=self._stderr,
                                        stdin=subprocess.DEVNULL)
        if wait:
            self.wait_for_rpc(timeout)

    def _close_output(self):
        for f in (self._stdout, self._stderr):
            if f is not None:
                f.close()
        self._stdout = self._stderr = None

    def stderr_text(self):
        try:
            with open(self.stderr_path, "r", errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_for_rpc(self, timeout=20):
        """Polls until the node answers RPC; fails if the process exits first."""
        deadline = time.monotonic() + timeout
        last_error = None
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise TestFailure("node%d exited with status %s during startup: %s" %
                                  (self.index, self.process.returncode,
                                   self.stderr_text().strip()[-2000:]))
            try:
                self.rpc("getblockcount", _timeout=2)
                return
            except (JSONRPCException, OSError, http.client.HTTPException, ValueError) as e:
                last_error = e  # no cookie yet, connection refused, stale cookie (401), ...
            time.sleep(0.05)
        raise TestFailure("node%d did not answer RPC within %ss (last error: %s)" %
                          (self.index, timeout, last_error))

    def wait_for_exit(self, timeout=30):
        """Waits for the process to exit; returns its status. Kills it on timeout (fails)."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise TestFailure("node%d did not exit within %ss" % (self.index, timeout))
        finally:
            self._close_output()

    def stop(self, timeout=30, expected_status=0):
        """Clean shutdown through the `stop` RPC, then waits for the process to exit."""
        if not self.running():
            return
        self.rpc("stop")
        status = self.wait_for_exit(timeout)
        if expected_status is not None and status != expected_status:
            raise TestFailure("node%d exited with status %s after stop" % (self.index, status))
        self.process = None
        return status

    def kill(self):
        """SIGKILL: an abrupt crash, no cleanup by the node."""
        if self.process is not None and self.process.poll() is not None:
            self.last_exit_status = self.process.returncode  # it had exited by itself
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        self._close_output()
        self.process = None

    def run_expect_failure(self, extra_args=None, expected_stderr=None, expected_status=1,
                           timeout=20, argv=None):
        """Runs cairnd with these arguments expecting it to exit by itself with an error;
        returns its stderr. Checks the status and that stderr contains expected_stderr."""
        argv = argv if argv is not None else self.args(extra_args)
        try:
            p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=timeout, text=True)
        except subprocess.TimeoutExpired as e:
            # subprocess.run has killed it; show what it said, to tell a hang from a slow start.
            said = e.stderr.decode(errors="replace") if isinstance(e.stderr, bytes) else e.stderr
            raise TestFailure("cairnd %s did not exit within %ss (expected it to fail); "
                              "stderr so far: %r" % (" ".join(argv[1:]), timeout, said))
        if expected_status is not None and p.returncode != expected_status:
            raise TestFailure("cairnd exited %s, expected %s; stderr: %r" %
                              (p.returncode, expected_status, p.stderr))
        if expected_stderr is not None and expected_stderr not in p.stderr:
            raise TestFailure("cairnd stderr %r does not contain %r" % (p.stderr,
                                                                       expected_stderr))
        return p.stderr

    # -- RPC

    def auth_header(self):
        if self.rpc_user is not None:
            return basic_auth_header(self.rpc_user, self.rpc_password)
        with open(self.cookie_path, "r") as f:
            cookie = f.read().strip()
        return "Basic " + base64.b64encode(cookie.encode()).decode()

    def rpc(self, method, *args, _timeout=None, **named):
        """Calls a JSON-RPC method: positional args as an array, or named args as an object."""
        if args and named:
            raise ValueError("give positional or named parameters, not both")
        params = named if named else list(args)
        request = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
        reply = self._post_json(request, _timeout)
        if reply.get("error") is not None:
            e = reply["error"]
            raise JSONRPCException(e.get("code"), e.get("message"), 200)
        if "result" not in reply:
            raise TestFailure("JSON-RPC reply without result: %r" % reply)
        return reply["result"]

    def _post_json(self, request, timeout=None):
        body = json.dumps(request).encode()
        req = urllib.request.Request(self.url, data=body, method="POST")
        req.add_header("Content-Type", "application/json")
        req.add_header("Authorization", self.auth_header())
        try:
            with urllib.request.urlopen(req, timeout=timeout or self.rpc_timeout) as resp:
                data = resp.read()
                status = resp.status
        except urllib.error.HTTPError as e:
            data = e.read()
            status = e.code
            try:
                reply = json.loads(data)
            except ValueError:
                raise JSONRPCException(None, "HTTP %d: %r" % (status, data[:200]), status)
            if isinstance(reply, dict) and reply.get("error") is not None:
                err = reply["error"]
                raise JSONRPCException(err.get("code"), err.get("message"), status)
            raise JSONRPCException(None, "HTTP %d: %r" % (status, data[:200]), status)
        if status != 200:
            raise JSONRPCException(None, "HTTP %d: %r" % (status, data[:200]), status)
        return json.loads(data)

    def http(self, body=b"", auth="cookie", method="POST", headers=None, timeout=30):
        """A raw HTTP request to the RPC port. auth: "cookie", None, (user, password) or a
        literal Authorization header value. Returns (status, body bytes, header dict)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.rpcport, timeout=timeout)
        try:
            h = {"Content-Type": "application/json"}
            if auth == "cookie":
                h["Authorization"] = self.auth_header()
            elif isinstance(auth, tuple):
                h["Authorization"] = basic_auth_header(*auth)
            elif isinstance(auth, str):
                h["Authorization"] = auth
            h.update(headers or {})
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, "/", body=body if method != "GET" else None, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, data, {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()

    def generate(self, n=1):
        return self.rpc("generate", n)

    # -- command-line programs

    def _run(self, argv, check=True, timeout=30, input_text=None):
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=timeout, input=input_text,
                               stdin=None if input_text is not None else subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise TestFailure("%s did not finish within %ss" % (" ".join(argv), timeout))
        if check and p.returncode != 0:
            raise CommandError(argv, p.returncode, p.stdout, p.stderr)
        return p

    def cli(self, *args, check=True, options=None):
        """Runs cairn-cli against this node; returns stdout stripped (raises CommandError on a
        non-zero exit when check)."""
        argv = [os.path.join(self.bindir, "cairn-cli"), "-datadir=" + self.datadir_base,
                "-rpcport=%d" % self.rpcport] + list(options or []) + [str(a) for a in args]
        p = self._run(argv, check=check)
        return p.stdout.strip() if check else p

    def cli_json(self, *args, options=None):
        return json.loads(self.cli(*args, options=options))

    def wallet(self, *args, keyfile=None, check=True, options=None):
        """Runs cairn-wallet against this node; returns stdout stripped."""
        argv = [os.path.join(self.bindir, "cairn-wallet"), "--network=" + NETWORK,
                "--datadir=" + self.datadir_base, "--rpcport=%d" % self.rpcport]
        if keyfile is not None:
            argv.append("--keyfile=" + keyfile)
        argv += list(options or []) + [str(a) for a in args]
        p = self._run(argv, check=check)
        return p.stdout.strip() if check else p

    # -- convenience

    def balance_units(self, address):
        return self.rpc("getaccount", address)["balance_units"]

    def wait_for_tx_confirmed(self, txid, timeout=10):
        def confirmed():
            try:
                tx = self.rpc("gettransaction", txid)
            except JSONRPCException:
                return None
            return tx if tx.get("confirmations", 0) >= 1 else None
        return wait_until(confirmed, timeout=timeout, msg="tx %s confirmed" % txid)

    def log_tail(self, n=LOG_TAIL_LINES):
        try:
            with open(self.debug_log, "r", errors="replace") as f:
                return f.readlines()[-n:]
        except OSError:
            return []


# ---------------------------------------------------------------------------------------------
# Framework


class TestTimeout(BaseException):
    """Not an Exception: a test's `except Exception` must not swallow it."""
    pass


class CairnTestFramework:
    """Base class of every functional test."""

    def __init__(self):
        self.num_nodes = 1
        self.blocktime = 200           # ms between produced blocks
        self.produce = True            # --produce; with False tests use `generate`
        self.extra_args = None         # list (per node) of extra cairnd arguments
        self.start_nodes_at_setup = True
        self.timeout = 120             # whole-test limit in seconds (SIGALRM)
        self.nodes = []
        self.options = None
        self.tmpdir = None
        self.log_prefix = type(self).__name__

    # -- to override

    def set_test_params(self):
        pass

    def run_test(self):
        raise NotImplementedError

    # -- helpers for tests

    def log(self, msg):
        print("%8.2fs %s: %s" % (time.monotonic() - self._t0, self.log_prefix, msg), flush=True)

    def add_node(self, blocktime=None, produce=None, extra_args=None):
        node = TestNode(len(self.nodes), self.tmpdir, self.options.bindir,
                        blocktime=self.blocktime if blocktime is None else blocktime,
                        produce=self.produce if produce is None else produce,
                        extra_args=extra_args)
        self.nodes.append(node)
        return node

    def keyfile(self, name):
        """A path for a wallet key file in the test's temporary directory."""
        d = os.path.join(self.tmpdir, "keys")
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, name + ".key")

    def new_key(self, node, name):
        """Creates a wallet key file; returns (keyfile, address)."""
        kf = self.keyfile(name)
        address = node.wallet("create", keyfile=kf)
        return kf, address

    def faucet_key(self, node, name="faucet"):
        kf = self.keyfile(name)
        if not os.path.exists(kf):
            address = node.wallet("import", FAUCET_SECRET, keyfile=kf)
        else:
            address = node.wallet("address", keyfile=kf)
        return kf, address

    def run_devsim(self, node, args, seed, timeout, show):
        """Runs cairn-devsim --json against `node` and returns its summary. Its stderr and stdout
        are kept in the test's directory (devsimN.log, devsimN.json); the stderr lines for which
        show(line) is true are logged."""
        exe = os.path.join(self.options.bindir, "cairn-devsim")
        if not os.access(exe, os.X_OK):
            raise TestFailure("cairn-devsim not found in %s" % self.options.bindir)
        argv = [exe, "--datadir=" + node.datadir_base, "--rpcport=%d" % node.rpcport,
                "--seed=%d" % seed, "--json", "--timeout=%d" % (timeout - 10)] + list(args)
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            raise TestFailure("cairn-devsim did not finish within %ss; stderr: %s" %
                              (timeout, (e.stderr or "")[-3000:]))
        # Kept with the node's data when the test fails.
        self.devsim_runs = getattr(self, "devsim_runs", 0) + 1
        base = os.path.join(self.tmpdir, "devsim%d" % self.devsim_runs)
        with open(base + ".log", "w") as f:
            f.write(p.stderr)
        with open(base + ".json", "w") as f:
            f.write(p.stdout)
        if p.returncode != 0:
            raise TestFailure("cairn-devsim exited %d: %s" % (p.returncode, p.stderr[-3000:]))
        for line in p.stderr.splitlines():
            if show(line):
                self.log("devsim: " + line)
        return json.loads(p.stdout)

    # -- main

    def parse_args(self, argv):
        here = os.path.dirname(os.path.abspath(__file__))
        p = argparse.ArgumentParser(description=self.__class__.__doc__)
        p.add_argument("--bindir", default=os.path.normpath(os.path.join(here, "../../build/bin")),
                       help="directory holding cairnd, cairn-cli and cairn-wallet")
        p.add_argument("--tmpdir", default=None,
                       help="parent of the test's temporary directory (default: system temp)")
        p.add_argument("--nocleanup", action="store_true",
                       help="keep the temporary directory and leave nothing removed")
        p.add_argument("--randomseed", type=int, default=None,
                       help="seed for the test's random choices")
        return p.parse_args(argv)

    def _on_alarm(self, signum, frame):
        raise TestTimeout("test exceeded its %ss time limit" % self.timeout)

    def _on_sigterm(self, signum, frame):
        raise TestTimeout("terminated by SIGTERM")

    def main(self, argv=None):
        self.options = self.parse_args(sys.argv[1:] if argv is None else argv)
        self.options.bindir = os.path.abspath(self.options.bindir)
        self.set_test_params()
        self._t0 = time.monotonic()
        seed = self.options.randomseed
        if seed is None:
            seed = random.randrange(1 << 32)
        random.seed(seed)
        self.randomseed = seed
        if self.options.tmpdir:
            os.makedirs(self.options.tmpdir, exist_ok=True)
        self.tmpdir = tempfile.mkdtemp(prefix="cairn_%s_" % type(self).__name__,
                                       dir=self.options.tmpdir)
        self.log("bindir %s, tmpdir %s, randomseed %d" % (self.options.bindir, self.tmpdir, seed))
        for prog in ("cairnd", "cairn-cli"):
            if not os.access(os.path.join(self.options.bindir, prog), os.X_OK):
                print("error: %s not found in %s (pass --bindir)" % (prog, self.options.bindir),
                      file=sys.stderr)
                return self._exit(False, keep=True)

        success = False
        old_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        # SIGTERM (e.g. from ctest's timeout) unwinds through the cleanup below, so no cairnd
        # outlives the test.
        old_term = signal.signal(signal.SIGTERM, self._on_sigterm)
        signal.alarm(self.timeout)
        try:
            for i in range(self.num_nodes):
                extra = self.extra_args[i] if self.extra_args else None
                self.add_node(extra_args=extra)
            if self.start_nodes_at_setup:
                for node in self.nodes:
                    node.start()
            self.run_test()
            success = True
        except (TestFailure, AssertionError) as e:
            self.log("FAILED: %s" % e)
            traceback.print_exc()
        except JSONRPCException as e:
            self.log("FAILED with unexpected RPC error: %s" % e)
            traceback.print_exc()
        except BaseException as e:  # includes TestTimeout and KeyboardInterrupt
            self.log("FAILED with %s: %s" % (type(e).__name__, e))
            traceback.print_exc()
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, old_handler)
            signal.signal(signal.SIGTERM, old_term)
            for node in self.nodes:
                try:
                    node.kill()
                except Exception as e:  # keep killing the others
                    print("error killing node%d: %s" % (node.index, e), file=sys.stderr)
        if not success:
            for node in self.nodes:
                print("\n---- node%d debug.log (last %d lines) ----" % (node.index, LOG_TAIL_LINES))
                sys.stdout.write("".join(node.log_tail()))
                if node.last_exit_status is not None:
                    st = node.last_exit_status
                    try:
                        how = " (signal %s)" % signal.Signals(-st).name if st < 0 else ""
                    except ValueError:
                        how = ""
                    print("---- node%d had exited by itself with status %s%s ----" %
                          (node.index, st, how))
                err = node.stderr_text().strip()
                if err:
                    print("---- node%d stderr ----\n%s" % (node.index, err[-4000:]))
            print("(rerun with --randomseed=%d)" % self.randomseed)
        return self._exit(success, keep=self.options.nocleanup or not success)

    def _exit(self, success, keep):
        if self.tmpdir and os.path.isdir(self.tmpdir):
            if keep:
                self.log("kept %s" % self.tmpdir)
            else:
                shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.log("%s in %.1fs" % ("PASSED" if success else "FAILED", time.monotonic() - self._t0))
        sys.exit(0 if success else 1)


def _self_test():
    """Run when this file is executed directly (ctest's test_*.py glob includes it): checks the
    framework's own helpers, without starting any node."""
    assert to_units("12.5") == 1_250_000_000
    assert to_units("0.00000001") == 1
    assert to_units("1000000000") == FAUCET_BALANCE_UNITS
    for v in (0, 1, 127, 128, 300, 2**32, 2**64 - 1):
        enc = ser_varint(v)
        assert deser_varint(enc, 0) == (v, len(enc)), v
    assert ser_varint(300) == b"\xac\x02"
    tx = {"network_id": 3, "type": 1, "sender": bytes(range(32)), "nonce": 7, "fee": 1510,
          "payload": encode_transfer({"recipient": bytes(32), "amount": 5, "memo": b"hi"}),
          "signature": bytes(64)}
    assert decode_tx(encode_tx(tx)) == tx
    assert decode_transfer(tx["payload"])["memo"] == b"hi"
    entry = rpcauth_entry("u", "pw", salt="00ff")
    assert entry == "u:00ff$" + hmac.new(b"00ff", b"pw", hashlib.sha256).hexdigest()
    assert_raises_rpc_error(-5, "x", lambda: (_ for _ in ()).throw(JSONRPCException(-5, "xy")))
    try:
        assert_equal(1, 2)
    except TestFailure:
        pass
    else:
        raise AssertionError("assert_equal(1, 2) passed")
    assert 1024 <= free_port() <= 65535
    print("test_framework.py: framework self-test passed (tests are the other test_*.py files)")


if __name__ == "__main__":
    _self_test()
