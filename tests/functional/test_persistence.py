#!/usr/bin/env python3
"""Persistence and crash safety: a clean restart keeps the chain, balances and transaction
index; repeated SIGKILLs at random moments while producing blocks every 50 ms never lose a
block the node reported, never leave an inconsistent chain, and the node carries on. Also the
data directory lock, malformed config files and unknown flags."""

import os
import random
import signal
import subprocess
import time

from test_framework import (FAUCET_BALANCE_UNITS, CairnTestFramework, JSONRPCException,
                            assert_equal, assert_greater_than, assert_greater_than_or_equal,
                            assert_in, assert_true, free_port, to_units, wait_until)


class PersistenceTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.blocktime = 200
        self.timeout = 150

    # -- helpers

    def chain_snapshot(self, node, blocks=None):
        """Every block of the active chain (extending `blocks`, already checked), checked for
        linkage."""
        tip = node.rpc("getblockcount")
        blocks = list(blocks or [])
        prev_hash = blocks[-1]["hash"] if blocks else None
        for h in range(len(blocks), tip + 1):
            block_hash = node.rpc("getblockhash", h)
            b = node.rpc("getblock", h, 2)
            assert_equal(b["hash"], block_hash)
            assert_equal(b["height"], h)
            if h > 0:
                assert_equal(b["previousblockhash"], prev_hash,
                             msg="block %d does not link to block %d" % (h, h - 1))
                assert_greater_than(b["time_ms"], blocks[-1]["time_ms"])
            prev_hash = block_hash
            blocks.append(b)
        return blocks

    def expected_balances(self, blocks):
        """Balances implied by the genesis, every confirmed transfer and the epoch payouts.

        Fees wait in the epoch's validator pool; the block closing an epoch pays the validators
        (getblock's "epoch" object lists the payments) and carries the pool's remainder.
        Returns (balances, nonces, pooled fees, minted)."""
        bal = {self.faucet: FAUCET_BALANCE_UNITS}
        nonces = {}
        pooled = minted = 0
        for b in blocks[1:]:
            for tx in b["tx"]:
                s, p = tx["sender"], tx["payload"]
                assert_equal(tx["nonce"], nonces.get(s, 0), msg="nonce sequence of %s" % s)
                nonces[s] = tx["nonce"] + 1
                bal[s] = bal.get(s, 0) - p["amount_units"] - tx["fee_units"]
                assert_greater_than_or_equal(bal[s], 0)
                bal[p["to"]] = bal.get(p["to"], 0) + p["amount_units"]
                pooled += tx["fee_units"]
            epoch = b.get("epoch")
            if epoch is not None:
                for v in epoch["validator_rewards"]:
                    bal[v["validator"]] = bal.get(v["validator"], 0) + v["amount_units"]
                assert_equal(epoch["fees_units"], pooled)
                pooled = epoch["fee_carry_units"]
                minted += epoch["minted_units"]
        return bal, nonces, pooled, minted

    def check_state(self, node, known_confirmed):
        """The whole chain is consistent and the node's accounts match the transfers."""
        blocks = self.chain_snapshot(node)
        bal, nonces, _, _ = self.expected_balances(blocks)
        accounts = {x: node.rpc("getaccount", x) for x in set(bal) | set(self.addresses)}
        # Blocks keep coming: each account is compared with the chain at the height it was
        # read at (getaccount says which).
        blocks = self.chain_snapshot(node, blocks)
        for addr, acct in accounts.items():
            bal, nonces, pooled, minted = self.expected_balances(blocks[:acct["height"] + 1])
            assert_equal(acct["balance_units"], bal.get(addr, 0),
                         msg="balance of %s at height %d" % (addr, acct["height"]))
            assert_equal(acct["nonce"], nonces.get(addr, 0), msg="nonce of " + addr)
        # No coin appears or vanishes: balances plus pooled fees are the genesis plus what the
        # epochs minted.
        bal, _, pooled, minted = self.expected_balances(blocks)
        assert_equal(sum(bal.values()) + pooled, FAUCET_BALANCE_UNITS + minted)
        # The reported supply (height and supply come from one tip) is the genesis plus what the
        # epochs up to that height minted; nothing is burned here.
        info = node.rpc("getblockchaininfo")
        blocks = self.chain_snapshot(node, blocks)
        _, _, _, minted_then = self.expected_balances(blocks[:info["blocks"] + 1])
        assert_equal(info["supply_units"], FAUCET_BALANCE_UNITS + minted_then)
        # Every transaction is indexed where its block says.
        for b in blocks:
            for pos, tx in enumerate(b["tx"]):
                t = node.rpc("gettransaction", tx["txid"])
                assert_equal((t["height"], t["position"], t["blockhash"]),
                             (b["height"], pos, b["hash"]))
        # Transactions once seen confirmed are still confirmed.
        for txid, height in known_confirmed.items():
            t = node.rpc("gettransaction", txid)
            assert_equal(t["height"], height, msg="confirmed tx %s moved or vanished" % txid)
        return blocks

    # -- test

    def run_test(self):
        node = self.nodes[0]
        faucet_kf, self.faucet = self.faucet_key(node)
        a_kf, a = self.new_key(node, "a")
        _, b = self.new_key(node, "b")
        self.addresses = [self.faucet, a, b]
        confirmed = {}

        self.log("blocks and a few transfers")
        txids = [node.wallet("send", a, "10", keyfile=faucet_kf),
                 node.wallet("send", b, "5", "--memo=to b", keyfile=faucet_kf)]
        for t in txids:
            confirmed[t] = node.wait_for_tx_confirmed(t)["height"]
        txids.append(node.wallet("send", b, "1.25", keyfile=a_kf))
        confirmed[txids[-1]] = node.wait_for_tx_confirmed(txids[-1])["height"]
        self.check_state(node, confirmed)
        assert_equal(node.balance_units(a), to_units("10") - to_units("1.25") -
                     node.rpc("gettransaction", txids[-1])["fee_units"])
        assert_equal(node.balance_units(b), to_units("6.25"))

        self.log("clean restart keeps everything")
        node.stop()
        assert_true(not os.path.exists(node.cookie_path), "cookie removed")
        # cairn-cli -rpcwait waits for the node to come up (and gives up when told to).
        t0 = time.monotonic()
        p = node.cli("getblockcount", check=False, options=["-rpcwait", "-rpcwaittimeout=1"])
        assert_equal(p.returncode, 1)
        assert_true(time.monotonic() - t0 < 10, "-rpcwaittimeout=1 did not give up in time")
        waiter = subprocess.Popen(
            [os.path.join(node.bindir, "cairn-cli"), "-datadir=" + node.datadir_base,
             "-rpcport=%d" % node.rpcport, "-rpcwait", "-rpcwaittimeout=30", "getblockcount"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(0.3)
            # No production after the restart, so the tip can be compared exactly.
            node.start(produce=False)
            out, err = waiter.communicate(timeout=30)
        finally:
            if waiter.poll() is None:
                waiter.kill()
                waiter.wait()
        assert_equal(waiter.returncode, 0, msg=err)
        best = node.rpc("getbestblockhash")
        assert_equal(int(out), node.rpc("getblockcount"))
        height = node.rpc("getblockcount")
        before = {t: node.rpc("gettransaction", t) for t in txids}
        balances = {x: node.rpc("getaccount", x) for x in self.addresses}
        # SIGTERM is a clean shutdown too.
        node.process.send_signal(signal.SIGTERM)
        assert_equal(node.wait_for_exit(20), 0)
        node.process = None
        assert_true(not os.path.exists(node.cookie_path), "cookie removed after SIGTERM")
        assert_in("shutdown complete", node.log_tail(1)[0])
        node.start(produce=False)
        assert_equal(node.rpc("getbestblockhash"), best)
        assert_equal(node.rpc("getblockcount"), height)
        for t in txids:
            after = node.rpc("gettransaction", t)
            assert_equal(after, before[t])
        for x in self.addresses:
            assert_equal(node.rpc("getaccount", x), balances[x])
        self.check_state(node, confirmed)
        node.stop()

        self.log("the data directory lock and startup errors")
        node.start(produce=True, blocktime=200)
        other_port = free_port()
        argv = node.args() + ["--rpcport=%d" % other_port]
        argv = [x for x in argv if not x.startswith("--rpcport=%d" % node.rpcport)]
        err = node.run_expect_failure(argv=argv, expected_stderr="lock")
        assert_in("another cairnd", err)
        node.rpc("getblockcount")  # the first node is unaffected
        assert_true(os.path.exists(node.cookie_path), "the running node's cookie is kept")
        # Another data directory on the same RPC port: refused, and it cleans up its cookie.
        other = self.add_node(extra_args=[])
        other.rpcport = node.rpcport
        other.run_expect_failure([], expected_stderr="cannot bind")
        assert_true(not os.path.exists(other.cookie_path), "cookie left by a failed start")
        node.rpc("getblockcount")
        node.stop()

        conf = os.path.join(node.datadir, "cairn.conf")
        cases = [("nosuchkey=1\n", "nosuchkey"),
                 ("blocktime=abc\n", "blocktime"),
                 ("blocktime=5\n", "--blocktime must be between"),
                 ("produce=maybe\n", "produce"),
                 ("rpcthreads=0\n", "--rpcthreads"),
                 ("this is not a config line\n", None)]
        # Only the basic flags: a flag given on the command line wins over (and hides) the
        # file's value.
        plain = [node.cairnd_path(), "--datadir=" + node.datadir_base, "--network=devnet",
                 "--rpcport=%d" % node.rpcport]
        for text, message in cases:
            with open(conf, "w") as f:
                f.write("# a comment\n" + text)
            err = node.run_expect_failure(argv=plain, expected_stderr=message)
            assert_true(err.strip().startswith("Error:"), "clear error, got %r" % err)
        os.remove(conf)
        node.run_expect_failure(["--conf=" + os.path.join(self.tmpdir, "missing.conf")],
                                expected_stderr="cannot read config file")
        node.run_expect_failure(["--nosuchflag"], expected_stderr="nosuchflag")
        node.run_expect_failure(["--nosuchflag=3"], expected_stderr="nosuchflag")
        node.run_expect_failure(["--blocktime=9"], expected_stderr="--blocktime")
        node.run_expect_failure(argv=plain[:2] + ["--network=moon"], expected_stderr="moon")
        # A good config file is read, and flags win over it.
        with open(conf, "w") as f:
            f.write("# test config\nblocktime=123456\nmaxmempool=10\n")
        node.start(produce=True, blocktime=50)
        wait_until(lambda: any("producing a block every 50 ms" in l for l in node.log_tail(200)),
                   timeout=5)
        assert_equal(node.rpc("getmempoolinfo")["maxmempool"], 10 << 20)
        node.stop()
        os.remove(conf)

        self.log("SIGKILL at random moments while producing every 50 ms")
        highest_seen = node.rpc("getblockcount") if node.running() else height
        highest_hash = None
        for loop in range(5):
            node.start(produce=True, blocktime=50)
            h_start = node.rpc("getblockcount")
            assert_greater_than_or_equal(h_start, highest_seen)
            if highest_hash is not None:
                # The last block we saw before the crash is still in the chain.
                assert_equal(node.rpc("getblockhash", highest_seen), highest_hash)
            blocks = self.check_state(node, confirmed)
            self.log("loop %d: restarted at height %d (%d blocks checked)" %
                     (loop, h_start, len(blocks)))
            # Blocks continue after the restart.
            wait_until(lambda: node.rpc("getblockcount") > h_start, timeout=10)
            # Transfers keep arriving until the node dies, so it is killed while blocks
            # with transactions are being made.
            sent = []
            deadline = time.monotonic() + random.uniform(0.2, 1.0)
            while time.monotonic() < deadline:
                src_kf, dst = random.choice([(faucet_kf, a), (faucet_kf, b), (a_kf, b)])
                try:
                    sent.append(node.wallet("send", dst, "0.%03d" % random.randint(1, 999),
                                            keyfile=src_kf))
                except Exception as e:  # e.g. a nonce raced with a block: not what we test
                    self.log("send failed: %s" % e)
            # What the node reports just before the kill must survive it.
            try:
                highest_seen = node.rpc("getblockcount")
                highest_hash = node.rpc("getblockhash", highest_seen)
                for t in sent:
                    tx = node.rpc("gettransaction", t)
                    if tx["confirmations"] >= 1:
                        confirmed[t] = tx["height"]
            except JSONRPCException as e:
                raise AssertionError("RPC failed before the kill: %s" % e)
            node.kill()

        self.log("final restart: consistent, and producing")
        node.start(produce=True, blocktime=50)
        assert_greater_than_or_equal(node.rpc("getblockcount"), highest_seen)
        assert_equal(node.rpc("getblockhash", highest_seen), highest_hash)
        h = node.rpc("getblockcount")
        wait_until(lambda: node.rpc("getblockcount") >= h + 3, timeout=10)
        txid = node.wallet("send", a, "0.5", keyfile=faucet_kf)
        confirmed[txid] = node.wait_for_tx_confirmed(txid)["height"]
        node.stop()
        node.start(produce=False)
        self.check_state(node, confirmed)
        node.stop()


if __name__ == "__main__":
    PersistenceTest().main()
