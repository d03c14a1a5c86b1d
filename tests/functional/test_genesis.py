#!/usr/bin/env python3
"""A custom genesis file (--genesis=FILE): funded accounts, chain parameters and a validator
whose key the test writes into the data directory. The node produces blocks with it, reports
the genesis hash it logged, applies the custom parameters, and refuses to reopen its database
with a different genesis."""

import json
import os
import re

from test_framework import (CairnTestFramework, assert_equal, assert_in,
                            assert_raises_command_error, assert_raises_rpc_error, assert_true,
                            to_units, wait_until)

GENESIS_TIME_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z


class GenesisTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.blocktime = 200
        self.start_nodes_at_setup = False

    def write_genesis(self, name, doc):
        path = os.path.join(self.tmpdir, name)
        with open(path, "w") as f:
            json.dump(doc, f, indent=2) if isinstance(doc, dict) else f.write(doc)
        return path

    def logged_genesis_hashes(self, node):
        with open(node.debug_log, errors="replace") as f:
            return re.findall(r"\bgenesis ([0-9a-f]{64})\b", f.read())

    def run_test(self):
        node = self.nodes[0]

        self.log("keys: two funded users and a validator")
        alice_kf, alice = self.new_key(node, "alice")
        bob_kf, bob = self.new_key(node, "bob")
        validator_secret = os.urandom(32).hex()
        val_kf = self.keyfile("validator")
        validator = node.wallet("import", validator_secret, keyfile=val_kf)
        assert_equal(node.wallet("address", keyfile=val_kf), validator)
        os.makedirs(node.datadir, exist_ok=True)
        with open(os.path.join(node.datadir, "validator_key"), "w") as f:
            f.write(validator_secret + "\n")
        os.chmod(os.path.join(node.datadir, "validator_key"), 0o600)

        genesis = {
            "network": "devnet",
            "network_id": 42,
            "time_ms": GENESIS_TIME_MS,
            "params": {"min_fee_per_byte": 20, "max_memo_bytes": 64, "max_block_txs": 3},
            "accounts": [{"address": alice, "balance": "1000"},
                         {"address": bob, "balance": "0.5"}],
            "validators": [{"address": validator, "power": 10}],
        }
        gfile = self.write_genesis("genesis.json", genesis)

        self.log("the node starts on the custom genesis and produces blocks")
        node.start(extra_args=["--genesis=" + gfile])
        info = node.rpc("getblockchaininfo")
        logged = self.logged_genesis_hashes(node)
        assert_true(logged, "debug.log has no 'genesis <hash>' line")
        assert_equal(info["genesis_hash"], logged[-1])
        assert_equal(node.rpc("getblockhash", 0), info["genesis_hash"])
        g = node.rpc("getblock", 0)
        assert_equal(g["time_ms"], GENESIS_TIME_MS)
        assert_equal(g["ntx"], 0)
        assert_equal(info["network"], "devnet")
        assert_equal(info["network_id"], 42)
        assert_equal(info["min_fee_per_byte"], 20)
        assert_equal(info["params"]["max_memo_bytes"], 64)
        assert_equal(info["params"]["max_block_txs"], 3)
        assert_equal(info["validators"], 1)
        assert_equal(info["supply"], "1000.5")
        assert_equal(info["supply_units"], to_units("1000.5"))
        assert_in("validator " + validator, "".join(node.log_tail(100)))
        h = node.rpc("getblockcount")
        wait_until(lambda: node.rpc("getblockcount") >= h + 2, timeout=10,
                   msg="the validator produces blocks")
        assert_equal(node.rpc("getblock", 1)["proposer"], validator)
        assert_equal(node.rpc("getblock", 1)["network_id"], 42)

        self.log("balances as configured; the faucet of the default devnet has nothing")
        assert_equal(node.rpc("getaccount", alice)["balance_units"], to_units("1000"))
        assert_equal(node.rpc("getaccount", bob)["balance"], "0.5")
        assert_equal(node.rpc("getaccount", validator)["balance_units"], 0)
        faucet_kf, faucet = self.faucet_key(node)
        assert_equal(node.rpc("getaccount", faucet)["balance_units"], 0)

        self.log("a transfer uses the chain's network id and fee rate")
        txid = node.wallet("send", bob, "250", "--memo=custom chain", keyfile=alice_kf)
        tx = node.wait_for_tx_confirmed(txid)
        assert_equal(tx["network_id"], 42)
        assert_equal(tx["fee_units"], tx["size"] * 20)
        assert_equal(node.rpc("getaccount", bob)["balance_units"], to_units("250.5"))
        assert_equal(node.rpc("getaccount", alice)["balance_units"],
                     to_units("750") - tx["fee_units"])
        # The fee waits in the epoch's validator pool until the epoch's last block, which pays
        # it (with the epoch's validator emission) to the validator.
        epoch = node.rpc("getepochinfo")
        paid = node.rpc("getaccount", validator)["balance_units"]
        assert_true(epoch["fees_units"] == tx["fee_units"] or paid >= tx["fee_units"],
                    "fee neither pooled nor paid: %s, validator %d" % (epoch, paid))
        # A memo over this chain's 64-byte limit is refused by the node.
        e = assert_raises_command_error(1, "tx-memo-too-long", node.wallet, "send", alice, "1",
                                        "--memo=" + "m" * 65, keyfile=bob_kf)
        # A transaction signed for the default devnet id (3) is refused here.
        hex3 = node.wallet("send", alice, "1", "--offline", "--nonce=0", keyfile=bob_kf)
        assert_raises_rpc_error(-25, "tx-wrong-network", node.rpc, "sendrawtransaction", hex3)
        hex42 = node.wallet("send", alice, "1", "--offline", "--nonce=0", "--network-id=42",
                            "--min-fee-per-byte=20", keyfile=bob_kf)
        node.rpc("sendrawtransaction", hex42)
        genesis_hash = info["genesis_hash"]
        best_height = node.rpc("getblockcount")
        best = node.rpc("getblockhash", best_height)
        node.stop()

        self.log("a restart with the same genesis file continues the chain")
        node.start(extra_args=["--genesis=" + gfile], produce=False)
        assert_equal(node.rpc("getblockchaininfo")["genesis_hash"], genesis_hash)
        # Blocks made between the read and the stop are kept too.
        assert_equal(node.rpc("getblockhash", best_height), best)
        h = node.rpc("getblockcount")
        node.generate(2)
        assert_equal(node.rpc("getblockcount"), h + 2)
        # max_block_txs=3: five pending transfers take two blocks, in nonce order.
        sent = [node.wallet("send", bob, "1", keyfile=alice_kf) for _ in range(5)]
        assert_equal(sorted(node.rpc("getrawmempool")), sorted(sent))
        [b1] = node.generate(1)
        assert_equal(node.rpc("getblock", b1)["tx"], sent[:3])
        assert_equal(sorted(node.rpc("getrawmempool")), sorted(sent[3:]))
        [b2] = node.generate(1)
        assert_equal(node.rpc("getblock", b2)["tx"], sent[3:])
        assert_equal(node.rpc("getrawmempool"), [])
        node.stop()

        self.log("a different genesis file on the same data directory is refused")
        other = dict(genesis, accounts=[{"address": alice, "balance": "1001"},
                                        {"address": bob, "balance": "0.5"}])
        ofile = self.write_genesis("other.json", other)
        err = node.run_expect_failure(["--genesis=" + ofile], expected_stderr="genesis")
        assert_in(genesis_hash, err)
        for changed in (dict(genesis, network_id=43), dict(genesis, time_ms=GENESIS_TIME_MS + 1),
                        dict(genesis, params={"min_fee_per_byte": 21, "max_memo_bytes": 64})):
            f = self.write_genesis("changed.json", changed)
            node.run_expect_failure(["--genesis=" + f], expected_stderr="genesis")
        # The database is untouched by the refusals.
        node.start(extra_args=["--genesis=" + gfile], produce=False)
        assert_equal(node.rpc("getblockchaininfo")["genesis_hash"], genesis_hash)
        node.stop()

        self.log("malformed genesis files are startup errors")
        fresh = self.add_node(extra_args=[])
        bad = [
            ("{not json", "genesis"),
            (json.dumps(dict(genesis, network="test")), "another network"),
            (json.dumps(dict(genesis, network="moon")), "network"),
            (json.dumps({k: v for k, v in genesis.items() if k != "accounts"}), "accounts"),
            (json.dumps({k: v for k, v in genesis.items() if k != "validators"}), "validators"),
            (json.dumps(dict(genesis, validators=[])), None),
            (json.dumps(dict(genesis, accounts=[{"address": alice, "balance": 5}])), "balance"),
            (json.dumps(dict(genesis, accounts=[{"address": alice, "balance": "1.123456789"}])),
             "balance"),
            (json.dumps(dict(genesis, accounts=[{"address": alice[:-1] + "q", "balance": "1"}])),
             "address"),
            (json.dumps(dict(genesis, accounts=[{"address": alice, "balance": "1"},
                                                {"address": alice, "balance": "2"}])),
             "duplicate"),
            (json.dumps(dict(genesis, accounts=[{"address": alice, "balance": "0"}])), "zero"),
            (json.dumps(dict(genesis, network_id=-1)), "network_id"),
            (json.dumps(dict(genesis, validators=[{"address": validator}])), "power"),
        ]
        # A well-formed genesis of the test network, given to a devnet node.
        test_addr = node._run([os.path.join(node.bindir, "cairn-wallet"), "--network=test",
                               "--keyfile=" + self.keyfile("testnet"), "create"]).stdout.strip()
        assert_true(not test_addr.startswith("dcairn1"), test_addr)
        bad.append((json.dumps({"network": "test", "network_id": 2, "time_ms": GENESIS_TIME_MS,
                                "accounts": [{"address": test_addr, "balance": "1"}],
                                "validators": [{"address": test_addr, "power": 1}]}),
                    "genesis is for another network"))
        for text, message in bad:
            f = self.write_genesis("bad.json", text)
            err = fresh.run_expect_failure(["--genesis=" + f],
                                           expected_stderr=message)
            assert_true(err.startswith("Error:"), err)
        fresh.run_expect_failure(["--genesis=" + os.path.join(self.tmpdir, "no.json")],
                                 expected_stderr="cannot read genesis file")

        self.log("a node without a validator key, or with a key outside the set, does not produce")
        fresh.start(extra_args=["--genesis=" + gfile])
        assert_equal(fresh.rpc("getblockchaininfo")["genesis_hash"], genesis_hash)
        assert_raises_rpc_error(-32, "does not produce", fresh.rpc, "generate", 1)
        assert_equal(fresh.rpc("getblockcount"), 0)
        fresh.stop()
        assert_true(not os.path.exists(os.path.join(fresh.datadir, "validator_key")),
                    "no validator key is created when --genesis is given")
        with open(os.path.join(fresh.datadir, "validator_key"), "w") as f:
            f.write(os.urandom(32).hex() + "\n")
        fresh.start(extra_args=["--genesis=" + gfile])
        assert_in("not in this chain's validator set", "".join(fresh.log_tail(10)))
        assert_raises_rpc_error(-32, "does not produce", fresh.rpc, "generate", 1)
        assert_equal(fresh.rpc("getblockcount"), 0)
        fresh.stop()
        # A malformed validator key is an error, not silently ignored.
        with open(os.path.join(fresh.datadir, "validator_key"), "w") as f:
            f.write("not hex\n")
        fresh.run_expect_failure(["--genesis=" + gfile], expected_stderr="validator key")

if __name__ == "__main__":
    GenesisTest().main()
