#!/usr/bin/env python3
"""Invalid transactions are refused by sendrawtransaction with the right code and reason, and
leave the chain state and the mempool unchanged: bad signature, wrong network, replayed or old
nonce, nonce gap, overspending, fee below the minimum, memo too long, duplicates, undecodable
hex; and cairn-wallet refuses a mistyped address."""

from test_framework import (CairnTestFramework, assert_equal, assert_in,
                            assert_raises_command_error, assert_raises_rpc_error, decode_transfer,
                            decode_tx, encode_transfer, encode_tx, to_units)

DESERIALIZATION_ERROR = -22
VERIFY_REJECTED = -25
MEMPOOL_REJECTED = -26
ALREADY_IN_CHAIN = -27
INVALID_PARAMS = -32602
BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def flip_byte(hex_tx, index):
    b = bytearray(bytes.fromhex(hex_tx))
    b[index] ^= 0x01
    return b.hex()


class InvalidTransactionsTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.produce = False  # blocks only on `generate`: nothing changes behind the test's back

    def snapshot(self):
        node = self.nodes[0]
        accounts = {a: node.rpc("getaccount", a) for a in self.addresses}
        return {"accounts": accounts, "mempool": sorted(node.rpc("getrawmempool")),
                "tip": node.rpc("getbestblockhash"), "info": node.rpc("getmempoolinfo")}

    def assert_rejected(self, code, reason, hex_tx):
        """sendrawtransaction refuses hex_tx with code/reason and nothing changes."""
        before = self.snapshot()
        e = assert_raises_rpc_error(code, reason, self.nodes[0].rpc, "sendrawtransaction",
                                    hex_tx)
        assert_equal(self.snapshot(), before, msg="state changed after a rejection")
        return e

    def offline(self, keyfile, to, amount, nonce, *options):
        return self.nodes[0].wallet("send", to, amount, "--offline", "--nonce=%d" % nonce,
                                    *options, keyfile=keyfile)

    def run_test(self):
        node = self.nodes[0]
        faucet_kf, faucet = self.faucet_key(node)
        user_kf, user = self.new_key(node, "user")
        poor_kf, poor = self.new_key(node, "poor")
        self.addresses = [faucet, user, poor]

        self.log("fund a poor account with 1 CAIRN")
        txid = node.wallet("send", poor, "1", keyfile=faucet_kf)
        node.generate(1)
        assert_equal(node.rpc("gettransaction", txid)["confirmations"], 1)
        assert_equal(node.rpc("getaccount", poor)["balance_units"], to_units("1"))
        faucet_nonce = node.rpc("getaccount", faucet)["nonce"]
        assert_equal(faucet_nonce, 1)

        self.log("a well-formed offline transaction decodes")
        good = self.offline(faucet_kf, user, "2.5", faucet_nonce, "--memo=ok")
        dec = node.rpc("decoderawtransaction", good)
        assert_equal(dec["sender"], faucet)
        assert_equal(dec["nonce"], faucet_nonce)
        assert_equal(dec["network_id"], node.rpc("getblockchaininfo")["network_id"])
        assert_equal(dec["payload"]["to"], user)
        assert_equal(dec["payload"]["amount"], "2.5")
        assert_equal(dec["payload"]["memo_hex"], b"ok".hex())

        self.log("bad signature")
        size = len(good) // 2
        for index in (size - 1, size - 33, size - 64):  # inside the 64-byte signature
            self.assert_rejected(VERIFY_REJECTED, "tx-bad-signature", flip_byte(good, index))
        # A signature made by another key for the same sender.
        forged = self.offline(user_kf, user, "2.5", 0)  # user's own tx, then swap the sender
        forged_b = bytearray(bytes.fromhex(good))
        forged_b[-64:] = bytes.fromhex(forged)[-64:]
        self.assert_rejected(VERIFY_REJECTED, "tx-bad-signature", forged_b.hex())

        self.log("wrong network id")
        wrong_net = self.offline(faucet_kf, user, "2.5", faucet_nonce, "--network-id=99")
        e = self.assert_rejected(VERIFY_REJECTED, "tx-wrong-network", wrong_net)
        assert_in("99", e.message)

        self.log("fee below the minimum")
        # The wallet refuses to build such a transaction unless told the minimum is 0.
        assert_raises_command_error(1, "tx-fee-too-low", self.offline, faucet_kf, user, "2.5",
                                    faucet_nonce, "--fee=1")
        for fee in (0, 1):
            self.assert_rejected(VERIFY_REJECTED, "tx-fee-too-low",
                                 self.offline(faucet_kf, user, "2.5", faucet_nonce,
                                              "--fee=%d" % fee, "--min-fee-per-byte=0"))
        # One unit under the minimum (size * min_fee_per_byte) is refused; the minimum itself
        # is what the wallet pays by default (accepted below).
        min_fee = dec["size"] * node.rpc("getblockchaininfo")["min_fee_per_byte"]
        assert_equal(dec["fee_units"], min_fee)
        self.assert_rejected(VERIFY_REJECTED, "tx-fee-too-low",
                             self.offline(faucet_kf, user, "2.5", faucet_nonce, "--memo=ok",
                                          "--fee=%d" % (min_fee - 1), "--min-fee-per-byte=0"))

        self.log("context-free checks: memo too long, zero amount, bad recipient, unknown type")
        # Re-encoded transactions (their signatures no longer match, but the cheaper
        # context-free checks run first and name the actual problem).
        max_memo = node.rpc("getblockchaininfo")["params"]["max_memo_bytes"]
        assert_raises_command_error(1, None, self.offline, faucet_kf, user, "1", faucet_nonce,
                                    "--memo-hex=" + "ab" * (max_memo + 1))

        def variant(**changes):
            tx = decode_tx(good)
            p = decode_transfer(tx["payload"])
            for k in ("recipient", "amount", "memo"):
                if k in changes:
                    p[k] = changes.pop(k)
            tx["payload"] = encode_transfer(p)
            tx.update(changes)
            tx.setdefault("fee", 10**6)
            tx["fee"] = max(tx["fee"], 10**6)  # well above the minimum
            return encode_tx(tx)
        assert_equal(encode_tx(decode_tx(good)), good)
        self.assert_rejected(VERIFY_REJECTED, "tx-memo-too-long",
                             variant(memo=b"\xab" * (max_memo + 1)))
        self.assert_rejected(VERIFY_REJECTED, "tx-zero-amount", variant(amount=0))
        self.assert_rejected(VERIFY_REJECTED, "tx-bad-recipient",
                             variant(recipient=b"\x00" * 32))
        self.assert_rejected(VERIFY_REJECTED, "tx-bad-sender", variant(sender=b"\x00" * 32))
        self.assert_rejected(VERIFY_REJECTED, "tx-unknown-type", variant(type=77))
        self.assert_rejected(VERIFY_REJECTED, "tx-malformed",
                             encode_tx(dict(decode_tx(good), payload=b"\x01\x02", fee=10**6)))
        # Only the signature is wrong once the fee is changed after signing.
        self.assert_rejected(VERIFY_REJECTED, "tx-bad-signature", variant())

        self.log("nonce gap")
        self.assert_rejected(VERIFY_REJECTED, "tx-nonce-too-high",
                             self.offline(faucet_kf, user, "2.5", faucet_nonce + 1))

        self.log("overspending")
        self.assert_rejected(VERIFY_REJECTED, "tx-insufficient-funds",
                             self.offline(poor_kf, user, "5", 0))
        # The whole balance leaves nothing for the fee.
        self.assert_rejected(VERIFY_REJECTED, "tx-insufficient-funds",
                             self.offline(poor_kf, user, "1", 0))
        # A fee larger than the balance.
        self.assert_rejected(VERIFY_REJECTED, "tx-insufficient-funds",
                             self.offline(poor_kf, user, "0.1", 0, "--fee=%d" % (2 * 10**8)))
        # An account that has never been funded.
        self.assert_rejected(VERIFY_REJECTED, "tx-insufficient-funds",
                             self.offline(user_kf, poor, "0.001", 0))
        # Online, the wallet reports the node's refusal and exits 1.
        before = self.snapshot()
        assert_raises_command_error(1, "tx-insufficient-funds", node.wallet, "send", user, "5",
                                    keyfile=poor_kf)
        assert_equal(self.snapshot(), before)

        self.log("undecodable and malformed hex")
        for bad in ["deadbeef", "00", good + "00", good[:-2]]:
            self.assert_rejected(DESERIALIZATION_ERROR, None, bad)
        # Not hex at all: a deserialization error too (as Bitcoin Core answers).
        for bad in ["zz", "abc", "nothex", good[:-1]]:
            self.assert_rejected(DESERIALIZATION_ERROR, "not valid hex", bad)
        # Not a string: the parameter check.
        self.assert_rejected(INVALID_PARAMS, "hexstring", 5)

        self.log("the good transaction enters; a duplicate is refused by the mempool")
        txid = node.rpc("sendrawtransaction", good)
        assert_equal(node.rpc("getrawmempool"), [txid])
        assert_equal(node.rpc("getaccount", faucet)["next_nonce"], faucet_nonce + 1)
        self.assert_rejected(MEMPOOL_REJECTED, "txn-already-in-mempool", good)
        # Same nonce, different transaction: the pending chain already uses that nonce, and
        # there is no replacement.
        self.assert_rejected(MEMPOOL_REJECTED, "txn-mempool-conflict",
                             self.offline(faucet_kf, user, "3", faucet_nonce))

        self.log("after mining: the same hex is already in the chain, an old nonce is too low")
        node.generate(1)
        assert_equal(node.rpc("getrawmempool"), [])
        assert_equal(node.rpc("gettransaction", txid)["confirmations"], 1)
        assert_equal(node.rpc("getaccount", user)["balance_units"], to_units("2.5"))
        self.assert_rejected(ALREADY_IN_CHAIN, "already", good)
        for nonce in (0, faucet_nonce):
            self.assert_rejected(VERIFY_REJECTED, "tx-nonce-too-low",
                                 self.offline(faucet_kf, user, "7", nonce))
        # The rejected signature variants of the mined transaction are still rejected.
        self.assert_rejected(VERIFY_REJECTED, None, flip_byte(good, size - 1))

        self.log("cairn-wallet: mistyped address, bad amounts")
        i = 12
        c = user[i]
        typo = user[:i] + BECH32_CHARSET[(BECH32_CHARSET.index(c) + 1) % 32] + user[i + 1:]
        before = self.snapshot()
        assert_raises_command_error(1, "checksum", node.wallet, "send", typo, "1",
                                    keyfile=faucet_kf)
        assert_raises_command_error(1, "invalid address", node.wallet, "send", "dcairn1xyz", "1",
                                    keyfile=faucet_kf)
        assert_raises_command_error(1, "invalid amount", node.wallet, "send", user, "1.123456789",
                                    keyfile=faucet_kf)
        assert_raises_command_error(1, "invalid amount", node.wallet, "send", user, "1e3",
                                    keyfile=faucet_kf)
        assert_raises_command_error(1, "more than zero", node.wallet, "send", user, "0",
                                    keyfile=faucet_kf)
        assert_equal(self.snapshot(), before)
        # getaccount refuses the typo too.
        assert_raises_rpc_error(INVALID_PARAMS, "checksum", node.rpc, "getaccount", typo)

        self.log("the node is still healthy: a valid transfer goes through")
        txid = node.wallet("send", user, "0.5", keyfile=poor_kf)
        node.generate(1)
        assert_equal(node.rpc("gettransaction", txid)["confirmations"], 1)
        assert_equal(node.rpc("getaccount", user)["balance_units"], to_units("3"))


if __name__ == "__main__":
    InvalidTransactionsTest().main()
