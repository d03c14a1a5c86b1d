#!/usr/bin/env python3
"""cairn-prover against a real devnet node: an owner funded by the faucet registers a compute
device (tier cpu-dev) with cairn-wallet, and `cairn-prover --once` (oneDNN backend) answers one
bucket's challenge end to end: it exits 0, the bucket settles with outcome "valid"
(getdevice, getdevicestats), and the blocks carry its commit and its open with verdict valid.
Then a prover killed right after committing is replaced by a new one that recomputes the same
root and opens; a node restart in the middle of a bucket is ridden out (the prover retries with
backoff) and the bucket still passes. A second compute device that never answered: its prover,
started past the commit deadline, skips the bucket; once the device is deactivated it says the
owner must reactivate it, and after `cairn-wallet reactivate-compute` it passes the next bucket.
SIGTERM stops a running prover with exit 0. The start-up errors exit 2 with a clear message: an
unreachable node, a key file readable by others (mode 0644), a device key the chain does not
know, and a device that is not a compute device."""

import os
import re
import shutil
import signal
import subprocess
import time

from test_framework import (CairnTestFramework, TestFailure, assert_equal, assert_in,
                            assert_true, free_port, wait_until)

BLOCKTIME_MS = 500     # devnet compute: bucket_length 15, D 4, open window 4 -> settle at h0+9
BUCKET_LENGTH = 15
SETTLE_OFFSET = 9


class ProverTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.blocktime = BLOCKTIME_MS
        self.produce = True
        self.timeout = 150

    # -- helpers

    def prover_argv(self, key_path, *extra, node=None):
        node = node or self.nodes[0]
        return [os.path.join(self.options.bindir, "cairn-prover"), "--device-key=" + key_path,
                "--datadir=" + node.datadir_base, "--rpcport=%d" % node.rpcport,
                "--poll-ms=100"] + list(extra)

    def start_prover(self, name, argv):
        """Starts cairn-prover with stdout and stderr in files; returns (process, log path)."""
        log_path = os.path.join(self.tmpdir, name + ".log")
        out = open(log_path, "wb")
        p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT,
                             stdin=subprocess.DEVNULL)
        out.close()
        self.provers.append(p)
        return p, log_path

    @staticmethod
    def read(path):
        with open(path, "r", errors="replace") as f:
            return f.read()

    def wait_prover(self, p, log_path, timeout):
        try:
            return p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            raise TestFailure("cairn-prover did not exit within %ss; its log:\n%s" %
                              (timeout, self.read(log_path)))

    def expect_start_failure(self, argv, message):
        """cairn-prover exits 2 at once, with `message` on stderr."""
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           stdin=subprocess.DEVNULL, timeout=30)
        if p.returncode != 2 or message not in p.stderr:
            raise TestFailure("expected exit 2 with %r, got %s; stderr %r stdout %r" %
                              (message, p.returncode, p.stderr, p.stdout))
        assert_equal(len(p.stderr.strip().splitlines()), 1, msg="one line: %r" % p.stderr)
        return p.stderr.strip()

    def compute_entries(self, device, first, last):
        """(height, entry) for the device's compute entries in blocks first..last."""
        node = self.nodes[0]
        found = []
        for h in range(first, last + 1):
            for e in node.rpc("getblock", h).get("compute", []):
                if e["device"] == device:
                    found.append((h, e))
        return found

    def check_bucket_passed(self, device, bucket):
        node = self.nodes[0]
        d = node.rpc("getdevice", device)
        assert_equal(d["compute"]["last_bucket"], {"start": bucket, "outcome": {"code": "valid"}})
        assert_equal(d["compute"]["active"], True)
        assert_equal(d["compute"]["missed_in_row"], 0)
        entries = self.compute_entries(device, bucket + 1, bucket + SETTLE_OFFSET)
        kinds = [(e["kind"], e["bucket"], e["verdict"]["code"]) for _, e in entries]
        assert_equal(kinds, [("commit", bucket, "valid"), ("open", bucket, "valid")])
        (commit_h, _), (open_h, _) = entries
        assert_true(bucket < commit_h <= bucket + 4, "commit in block %d" % commit_h)
        assert_true(bucket + 5 < open_h <= bucket + SETTLE_OFFSET, "open in block %d" % open_h)
        # The settle block records every challenged device's outcome.
        settled = node.rpc("getblock", bucket + SETTLE_OFFSET, 2)["compute_settlement"]
        assert_equal(settled["bucket"], bucket)
        mine = [o for o in settled["outcomes"] if o["device"] == device]
        assert_equal(mine, [{"device": device, "outcome": {"code": "valid"}, "units": 1,
                             "deactivated": False}])
        assert_true("compute_settlement" not in node.rpc("getblock", bucket + SETTLE_OFFSET - 1),
                    "only the settle block has a settlement")
        return d

    # -- the test

    def run_test(self):
        self.provers = []
        try:
            self.run_scenarios()
        finally:
            for p in self.provers:
                if p.poll() is None:
                    p.kill()
                    p.wait()

    def run_scenarios(self):
        node = self.nodes[0]
        faucet_kf, _ = self.faucet_key(node)
        owner_kf, owner = self.new_key(node, "owner")

        self.log("fund the owner; make a compute device key and a radio one")
        node.wait_for_tx_confirmed(node.wallet("send", owner, "100", keyfile=faucet_kf),
                                   timeout=15)
        devdir = os.path.join(self.tmpdir, "devices")
        compute_key = os.path.join(devdir, "compute.key")
        radio_key = os.path.join(devdir, "radio.key")
        stranger_key = os.path.join(devdir, "stranger.key")
        device = node.wallet("device-new", compute_key)
        radio = node.wallet("device-new", radio_key)
        stranger = node.wallet("device-new", stranger_key)
        idle_key = os.path.join(devdir, "idle.key")
        idle = node.wallet("device-new", idle_key)

        self.log("register two compute devices (cpu-dev) and a radio device")
        txids = [node.wallet("register-device", key, "--class=compute", "--tier=cpu-dev",
                             keyfile=owner_kf).splitlines()[0] for key in (compute_key, idle_key)]
        txids.append(node.wallet("register-device", radio_key, keyfile=owner_kf).splitlines()[0])
        for txid in txids:
            node.wait_for_tx_confirmed(txid, timeout=15)
        for dev in (device, idle):
            d = node.rpc("getdevice", dev)
            assert_equal(d["compute"]["tier"], "cpu-dev")
            # Challenged from the first bucket: the idle device misses buckets 15, 30 and 45.
            assert_true(d["registered_height"] < BUCKET_LENGTH, "registered too late: %r" % d)

        self.log("start-up errors exit 2 with one clear line")
        port = free_port()
        msg = self.expect_start_failure(
            [os.path.join(self.options.bindir, "cairn-prover"), "--device-key=" + compute_key,
             "--rpcport=%d" % port, "--rpcuser=u", "--rpcpassword=p"],
            "cannot reach the node at 127.0.0.1:%d: " % port)
        self.log("  " + msg)
        open_key = os.path.join(devdir, "open.key")
        shutil.copyfile(compute_key, open_key)
        os.chmod(open_key, 0o644)
        msg = self.expect_start_failure(self.prover_argv(open_key), "are too open")
        assert_in("0644", msg)
        self.log("  " + msg)
        msg = self.expect_start_failure(self.prover_argv(stranger_key),
                                        "device %s is not registered on this chain" % stranger)
        self.log("  " + msg)
        msg = self.expect_start_failure(self.prover_argv(radio_key), "not a compute device")
        self.log("  " + msg)
        self.expect_start_failure(self.prover_argv(compute_key, "--backend=gpu"),
                                  "unknown backend 'gpu'")
        self.expect_start_failure(self.prover_argv(os.path.join(devdir, "missing.key")),
                                  "cannot read device key file")

        self.log("cairn-prover --once answers one bucket")
        t0 = time.monotonic()
        p, log_path = self.start_prover("once", self.prover_argv(compute_key, "--once"))
        status = self.wait_prover(p, log_path, timeout=60)
        log = self.read(log_path)
        self.log("  exit %d after %.1fs; its log:\n%s" % (status, time.monotonic() - t0,
                                                          log.rstrip()))
        assert_equal(status, 0, msg="cairn-prover --once exit status")
        m = re.search(r"bucket (\d+) tier cpu-dev: challenge 1×256×8192", log)
        assert_true(m, "no challenge line in the log")
        bucket = int(m.group(1))
        assert_equal(bucket % BUCKET_LENGTH, 0)
        assert_true(re.search(r"backend (onednn|loop): [0-9.]+ GOPS on n=256 k=8192", log),
                    "no benchmark line")
        assert_true(re.search(r"gemm [0-9.]+ s \([0-9.]+ GOPS\)", log), "no GEMM rate")
        for line in ("commit submitted: bucket %d" % bucket, "open submitted: bucket %d" % bucket,
                     "bucket %d settled: outcome valid (passed)" % bucket):
            assert_in(line, log)
        assert_true(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[info\] ", log),
                    "log lines are timestamped")

        self.log("the chain agrees: bucket %d passed, commit and open valid" % bucket)
        self.check_bucket_passed(device, bucket)
        stats = node.rpc("getdevicestats", device)["compute_stats"]
        assert_equal(stats["buckets"], {"valid": 1})
        assert_equal(stats["reports"], {"valid": 2})
        assert_equal(stats["lifetime_units"], 1)

        self.log("a prover killed right after its commit is replaced and still opens")
        a, a_log = self.start_prover("killed", self.prover_argv(compute_key, "--bench=0"))
        wait_until(lambda: re.search(r"commit submitted: bucket (\d+)", self.read(a_log)),
                   timeout=30, interval=0.02, msg="first prover commits")
        a.kill()
        a.wait()
        bucket2 = int(re.search(r"commit submitted: bucket (\d+)", self.read(a_log)).group(1))
        assert_equal(bucket2, bucket + BUCKET_LENGTH)
        b, b_log = self.start_prover("loop", self.prover_argv(compute_key, "--bench=0"))
        self.wait_settled(b_log, bucket2)
        b_text = self.read(b_log)
        assert_true("the node already holds a commit of bucket %d" % bucket2 in b_text or
                    "already on chain with this root; opening" in b_text,
                    "the replacement did not pick up the earlier commit:\n" + b_text)
        self.check_bucket_passed(device, bucket2)

        self.log("the node restarts mid-bucket, after the commit; the prover waits and opens")
        bucket3 = bucket2 + BUCKET_LENGTH
        wait_until(lambda: self.progress(device, bucket3) == "committed", timeout=30,
                   interval=0.05, msg="bucket %d committed" % bucket3)
        node.stop()
        wait_until(lambda: "cannot reach the node" in self.read(b_log), timeout=10,
                   msg="prover notices the node is gone")
        time.sleep(1)
        node.start()
        # Meanwhile the idle device, which never answered, is in bucket 45 past its deadline.
        self.log("a prover started past the commit deadline skips the bucket")
        deadline3 = bucket3 + 4
        wait_until(lambda: node.rpc("getblockcount") >= deadline3, timeout=20, interval=0.05,
                   msg="tip at the commit deadline")
        i, i_log = self.start_prover("idle", self.prover_argv(idle_key, "--bench=0", "--once"))
        self.wait_settled(b_log, bucket3)
        assert_in("answers again", self.read(b_log))
        self.check_bucket_passed(device, bucket3)
        stats = node.rpc("getdevicestats", device)["compute_stats"]
        assert_equal(stats["buckets"], {"valid": 3})

        self.log("the idle device is deactivated; the prover waits, the owner reactivates it")
        wait_until(lambda: "is inactive" in self.read(i_log), timeout=20,
                   msg="prover reports the inactive device")
        i_text = self.read(i_log)
        assert_in("already at or past the commit deadline %d: not computing" % deadline3, i_text)
        assert_in("cairn-wallet reactivate-compute %s" % idle, i_text)
        d = node.rpc("getdevice", idle)["compute"]
        assert_equal((d["active"], d["missed_in_row"]), (False, 3))
        assert_equal(d["last_bucket"], {"start": bucket3, "outcome": {"code": "compute-no-commit"}})
        tx = node.wait_for_tx_confirmed(node.wallet("reactivate-compute", idle,
                                                    keyfile=owner_kf), timeout=15)
        bucket4 = (tx["height"] // BUCKET_LENGTH + 1) * BUCKET_LENGTH  # challenged from there
        status = self.wait_prover(i, i_log, timeout=45)
        i_text = self.read(i_log)
        self.log("  the idle device's prover:\n" + i_text.rstrip())
        assert_equal(status, 0, msg="prover --once of the reactivated device")
        assert_in("device is active again", i_text)
        assert_in("bucket %d settled: outcome valid (passed)" % bucket4, i_text)
        self.check_bucket_passed(idle, bucket4)

        self.log("SIGTERM stops the prover with exit 0")
        b.send_signal(signal.SIGTERM)
        assert_equal(self.wait_prover(b, b_log, timeout=10), 0, msg="exit after SIGTERM")
        log = self.read(b_log)
        assert_true(log.rstrip().endswith("[info] stopped"), "no 'stopped' line")
        self.log("  the replacement prover's log:\n" + log.rstrip())

    def progress(self, device, bucket):
        c = self.nodes[0].rpc("getcomputechallenge", device)
        return c["progress"] if c["challenged"] and c["bucket"] == bucket else None

    def wait_settled(self, log_path, bucket, timeout=45):
        """Waits for the prover's log to show `bucket` settled; the outcome must be valid."""
        pattern = re.compile(r"bucket %d settled: outcome (\S+)" % bucket)
        m = wait_until(lambda: pattern.search(self.read(log_path)), timeout=timeout,
                       interval=0.1, msg="bucket %d settles" % bucket)
        assert_equal(m.group(1), "valid", msg="log:\n" + self.read(log_path))

if __name__ == "__main__":
    ProverTest().main()
