#!/usr/bin/env python3
"""Mempool behaviour: chains of transactions with consecutive nonces, nonce gaps, the shapes of
getmempoolinfo / getmempoolentry / getrawmempool, block templates ordered by fee rate within
each sender's nonce order, the per-sender pending limit, and cleanup after a block.
Blocks come only from `generate` (--produce=0) so everything is deterministic."""

from test_framework import (CairnTestFramework, assert_equal, assert_greater_than, assert_in,
                            assert_raises_rpc_error, assert_true, to_units)

VERIFY_REJECTED = -25
MEMPOOL_REJECTED = -26
NOT_FOUND = -5


class MempoolTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.produce = False

    def run_test(self):
        node = self.nodes[0]
        faucet_kf, faucet = self.faucet_key(node)
        alice_kf, alice = self.new_key(node, "alice")
        bob_kf, bob = self.new_key(node, "bob")
        carol_kf, carol = self.new_key(node, "carol")
        min_per_byte = node.rpc("getblockchaininfo")["min_fee_per_byte"]

        info = node.rpc("getmempoolinfo")
        assert_equal(info, {"size": 0, "bytes": 0, "maxmempool": 64 << 20,
                            "min_fee_per_byte": min_per_byte})
        assert_equal(node.rpc("getrawmempool"), [])
        assert_equal(node.rpc("getrawmempool", True), {})

        self.log("fund alice and bob")
        t1 = node.wallet("send", alice, "100", keyfile=faucet_kf)
        t2 = node.wallet("send", bob, "100", keyfile=faucet_kf)
        assert_equal(node.rpc("getaccount", faucet)["next_nonce"], 2)
        assert_equal(node.rpc("getaccount", faucet)["nonce"], 0)
        node.generate(1)
        assert_equal(node.rpc("getrawmempool"), [])
        for t in (t1, t2):
            assert_equal(node.rpc("gettransaction", t)["confirmations"], 1)

        self.log("several transactions from one sender with consecutive nonces")
        txids = []
        for i in range(5):
            txids.append(node.wallet("send", carol, "1.%d" % (i + 1), "--memo=n%d" % i,
                                     keyfile=alice_kf))
        assert_equal(sorted(node.rpc("getrawmempool")), sorted(txids))
        acct = node.rpc("getaccount", alice)
        assert_equal((acct["nonce"], acct["next_nonce"]), (0, 5))
        assert_equal(acct["balance_units"], to_units("100"))  # confirmed balance only

        self.log("a nonce gap is refused")
        gap = node.wallet("send", carol, "1", "--offline", "--nonce=6", keyfile=alice_kf)
        assert_raises_rpc_error(VERIFY_REJECTED, "tx-nonce-too-high", node.rpc,
                                "sendrawtransaction", gap)
        # A nonce already pending is refused too (no replacement).
        dup_nonce = node.wallet("send", carol, "9", "--offline", "--nonce=2", keyfile=alice_kf)
        assert_raises_rpc_error(MEMPOOL_REJECTED, "txn-mempool-conflict", node.rpc,
                                "sendrawtransaction", dup_nonce)
        # The chain's total may not exceed the balance: 5 pending + 95 more is too much.
        too_much = node.wallet("send", carol, "95", "--offline", "--nonce=5", keyfile=alice_kf)
        assert_raises_rpc_error(VERIFY_REJECTED, "tx-insufficient-funds", node.rpc,
                                "sendrawtransaction", too_much)
        assert_equal(len(node.rpc("getrawmempool")), 5)

        self.log("getmempoolinfo / getmempoolentry / getrawmempool verbose")
        verbose = node.rpc("getrawmempool", True)
        assert_equal(sorted(verbose.keys()), sorted(txids))
        total = 0
        for nonce, txid in enumerate(txids):
            e = node.rpc("getmempoolentry", txid)
            assert_equal(e, verbose[txid])
            assert_equal(sorted(e.keys()), sorted(["txid", "size", "fee", "fee_units",
                                                   "fee_per_byte_milli", "time_ms", "sender",
                                                   "nonce"]))
            assert_equal(e["txid"], txid)
            assert_equal(e["sender"], alice)
            assert_equal(e["nonce"], nonce)
            assert_equal(e["fee_units"], e["size"] * min_per_byte)
            assert_equal(to_units(e["fee"]), e["fee_units"])
            assert_equal(e["fee_per_byte_milli"], e["fee_units"] * 1000 // e["size"])
            assert_greater_than(e["time_ms"], 1_700_000_000_000)
            tx = node.rpc("gettransaction", txid)
            assert_equal(tx["confirmations"], 0)
            assert_equal(tx["in_mempool"], True)
            assert_equal(tx["size"], e["size"])
            total += e["size"]
        info = node.rpc("getmempoolinfo")
        assert_equal(info["size"], 5)
        assert_equal(info["bytes"], total)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getmempoolentry", t1)

        self.log("a higher fee rate from another sender goes first in the block")
        # bob pays 50x the minimum; alice's chain pays the minimum.
        high = node.wallet("send", carol, "2", "--fee=%d" % (200 * min_per_byte * 50),
                           keyfile=bob_kf)
        assert_equal(len(node.rpc("getrawmempool")), 6)
        high_rate = node.rpc("getmempoolentry", high)["fee_per_byte_milli"]
        assert_greater_than(high_rate, verbose[txids[0]]["fee_per_byte_milli"])

        height = node.rpc("getblockcount")
        [block_hash] = node.generate(1)
        block = node.rpc("getblock", block_hash, 2)
        assert_equal(block["height"], height + 1)
        order = [t["txid"] for t in block["tx"]]
        assert_equal(len(order), 6)
        assert_equal(order[0], high)
        assert_equal(order[1:], txids)  # alice's chain in nonce order
        assert_equal([t["nonce"] for t in block["tx"][1:]], [0, 1, 2, 3, 4])
        for pos, txid in enumerate(order):
            tx = node.rpc("gettransaction", txid)
            assert_equal((tx["height"], tx["position"], tx["confirmations"]),
                         (height + 1, pos, 1))
            assert_equal(tx["blockhash"], block_hash)

        self.log("included transactions left the mempool")
        assert_equal(node.rpc("getrawmempool"), [])
        assert_equal(node.rpc("getmempoolinfo")["size"], 0)
        assert_equal(node.rpc("getmempoolinfo")["bytes"], 0)
        for txid in order:
            assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getmempoolentry", txid)
        acct = node.rpc("getaccount", alice)
        assert_equal((acct["nonce"], acct["next_nonce"]), (5, 5))
        fees = sum(node.rpc("gettransaction", t)["fee_units"] for t in txids)
        assert_equal(acct["balance_units"], to_units("100") - to_units("6.5") - fees)
        assert_equal(node.rpc("getaccount", carol)["balance_units"], to_units("8.5"))

        self.log("nonce order beats fee rate within one sender")
        low0 = node.wallet("send", carol, "1", keyfile=bob_kf)
        high1 = node.wallet("send", carol, "1", "--fee=%d" % 10**6, keyfile=bob_kf)
        mid = node.wallet("send", carol, "1", "--fee=%d" % (10**5), keyfile=alice_kf)
        [block_hash] = node.generate(1)
        order = [t["txid"] for t in node.rpc("getblock", block_hash, 2)["tx"]]
        # alice's mid-fee transaction beats bob's minimum-fee head; bob's high-fee second
        # transaction can only follow his first.
        assert_equal(order, [mid, low0, high1])

        self.log("the per-sender pending limit")
        start = node.rpc("getaccount", bob)["next_nonce"]
        accepted = []
        for i in range(64):
            hex_tx = node.wallet("send", carol, "0.001", "--offline", "--nonce=%d" % (start + i),
                                 keyfile=bob_kf)
            accepted.append(node.rpc("sendrawtransaction", hex_tx))
        hex_tx = node.wallet("send", carol, "0.001", "--offline", "--nonce=%d" % (start + 64),
                             keyfile=bob_kf)
        assert_raises_rpc_error(MEMPOOL_REJECTED, "too-many-pending", node.rpc,
                                "sendrawtransaction", hex_tx)
        # Other senders are not affected.
        other = node.wallet("send", carol, "1", keyfile=alice_kf)
        assert_equal(node.rpc("getmempoolinfo")["size"], 65)
        [block_hash] = node.generate(1)
        block = node.rpc("getblock", block_hash, 2)
        assert_equal(block["ntx"], 65)
        bob_nonces = [t["nonce"] for t in block["tx"] if t["sender"] == bob]
        assert_equal(bob_nonces, list(range(start, start + 64)))
        assert_in(other, [t["txid"] for t in block["tx"]])
        assert_equal(node.rpc("getrawmempool"), [])
        # Now the 65th fits.
        node.rpc("sendrawtransaction", hex_tx)
        node.generate(1)
        assert_equal(node.rpc("getaccount", bob)["nonce"], start + 65)
        assert_equal(node.rpc("getrawmempool"), [])
        self.log("a transfer to oneself costs only the fee")
        before = node.rpc("getaccount", carol)["balance_units"]
        txid = node.wallet("send", carol, "2", keyfile=carol_kf)
        node.generate(1)
        fee = node.rpc("gettransaction", txid)["fee_units"]
        assert_equal(node.rpc("getaccount", carol)["balance_units"], before - fee)
        assert_true(node.rpc("getblockchaininfo")["supply_units"] == 10**17, "supply conserved")


if __name__ == "__main__":
    MempoolTest().main()
