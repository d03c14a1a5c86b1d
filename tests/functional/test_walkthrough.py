#!/usr/bin/env python3
"""The devnet walkthrough: a node produces blocks, the faucet pays a new user 12.5 CAIRN with a
memo through cairn-wallet, and cairn-cli shows the confirmed transfer and the balances."""

from test_framework import (FAUCET_BALANCE_UNITS, CairnTestFramework, assert_equal,
                            assert_greater_than, assert_in, to_units, wait_until)


class WalkthroughTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.blocktime = 200

    def run_test(self):
        node = self.nodes[0]

        self.log("blocks appear on their own")
        h0 = int(node.cli("getblockcount"))
        wait_until(lambda: int(node.cli("getblockcount")) >= h0 + 3, timeout=10,
                   msg="three new blocks at --blocktime=200")
        info = node.cli_json("getblockchaininfo")
        assert_equal(info["network"], "devnet")
        assert_equal(info["supply_units"], FAUCET_BALANCE_UNITS)

        self.log("wallet keys: a new user and the imported faucet")
        user_kf, user = self.new_key(node, "user")
        assert user.startswith("dcairn1"), user
        assert_equal(node.wallet("address", keyfile=user_kf), user)
        faucet_kf, faucet = self.faucet_key(node)
        assert faucet.startswith("dcairn1"), faucet
        assert_equal(node.cli_json("getaccount", faucet)["balance_units"], FAUCET_BALANCE_UNITS)
        assert_equal(node.cli_json("getaccount", user)["balance"], "0")

        self.log("faucet sends 12.5 CAIRN with a memo")
        memo = "walkthrough: first payment"
        txid = node.wallet("send", user, "12.5", "--memo=" + memo, keyfile=faucet_kf)
        assert_equal(len(txid), 64)
        int(txid, 16)

        def confirmed():
            tx = node.cli_json("gettransaction", txid)
            return tx if tx["confirmations"] >= 1 else None
        tx = wait_until(confirmed, timeout=10, msg="the transfer is in a block")
        assert_equal(tx["txid"], txid)
        assert_equal(tx["in_mempool"], False)
        assert_equal(tx["type"], "transfer")
        assert_equal(tx["sender"], faucet)
        assert_equal(tx["nonce"], 0)
        assert_equal(tx["payload"]["to"], user)
        assert_equal(tx["payload"]["amount"], "12.5")
        assert_equal(tx["payload"]["amount_units"], to_units("12.5"))
        assert_equal(tx["payload"]["memo_hex"], memo.encode().hex())
        fee = tx["fee_units"]
        assert_greater_than(fee, 0)
        # The wallet pays the minimum fee: size * min_fee_per_byte.
        assert_equal(fee, tx["size"] * info["min_fee_per_byte"])
        assert_equal(to_units(tx["fee"]), fee)

        self.log("balances")
        assert_equal(node.cli_json("getaccount", user)["balance"], "12.5")
        assert_equal(node.cli_json("getaccount", user)["balance_units"], 1_250_000_000)
        f = node.cli_json("getaccount", faucet)
        assert_equal(f["balance_units"], FAUCET_BALANCE_UNITS - to_units("12.5") - fee)
        assert_equal(to_units(f["balance"]), f["balance_units"])
        assert_equal(f["nonce"], 1)
        assert_equal(f["next_nonce"], 1)
        # The wallet's balance command agrees.
        out = node.wallet("balance", keyfile=user_kf)
        assert_in("12.5", out)

        self.log("the block shows the transfer and its memo")
        block = node.cli_json("getblock", tx["height"], 2)
        assert_equal(block["hash"], tx["blockhash"])
        assert_equal(block["height"], tx["height"])
        assert_equal(block["tx"][tx["position"]]["txid"], txid)
        transfer = block["tx"][tx["position"]]["payload"]
        assert_equal(transfer["memo_hex"], memo.encode().hex())
        assert_equal(transfer["to"], user)
        assert_equal(transfer["amount"], "12.5")
        block1 = node.cli_json("getblock", tx["blockhash"], 1)
        assert_in(txid, block1["tx"])

        self.log("the mempool is empty and blocks keep coming")
        assert_equal(node.cli_json("getrawmempool"), [])
        h = int(node.cli("getblockcount"))
        wait_until(lambda: int(node.cli("getblockcount")) > h, timeout=10)
        # Supply is conserved: fees go to the validator, nothing is minted.
        assert_equal(node.cli_json("getblockchaininfo")["supply_units"], FAUCET_BALANCE_UNITS)

        self.log("clean stop through cairn-cli")
        assert_in("stopping", node.cli("stop"))
        assert_equal(node.wait_for_exit(20), 0)
        node.process = None


if __name__ == "__main__":
    WalkthroughTest().main()
