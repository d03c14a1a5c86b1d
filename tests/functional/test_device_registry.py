#!/usr/bin/env python3
"""The device registry through cairn-wallet and the node's RPC: an owner funded by the devnet
faucet makes two device keys, registers both, asserts their locations, and finds them with
getdevice, getdevicestats and listdevices (by owner, region and area, a page at a time); one
device is transferred and the owner index follows. Invalid registry transactions are refused by
sendrawtransaction with exact codes and reasons (device exists, not the owner, asserted too
soon, unknown device, bad device signature, antenna gain out of range) or by the wallet before
anything is sent, and the supply drops by exactly the burned onboarding and location fees."""

import json
import os
import re
import stat

from test_framework import (COIN, CairnTestFramework, assert_equal, assert_in,
                            assert_raises_command_error, assert_raises_rpc_error, assert_true,
                            decode_tx, deser_varint, encode_tx, ser_varint, to_units)

VERIFY_REJECTED = -25
MEMPOOL_REJECTED = -26
NOT_FOUND = -5
INVALID_PARAMS = -32602

ONBOARDING_FEE = 10 * COIN     # radio_onboarding_fee
ASSERT_FEE = 1 * COIN          # assert_location_fee
ASSERT_INTERVAL = 5            # assert_location_interval on devnet
EPOCH_LENGTH = 30              # devnet epochs; the test stays inside epoch 0

AMSTERDAM = ("52.3731", "4.8922", 523731000, 48922000)
SYDNEY = ("-33.8688", "151.2093", -338688000, 1512093000)


def zigzag(v):
    return (v << 1) ^ (v >> 63) if v >= 0 else ((-v) << 1) - 1


def unzigzag(u):
    return (u >> 1) ^ -(u & 1)


def decode_assert_payload(payload):
    p = {"device": payload[:32]}
    pos = 32
    lat, pos = deser_varint(payload, pos)
    lon, pos = deser_varint(payload, pos)
    p["gain"], pos = deser_varint(payload, pos)
    p["region"], pos = deser_varint(payload, pos)
    assert pos == len(payload)
    p["lat"], p["lon"] = unzigzag(lat), unzigzag(lon)
    return p


def encode_assert_payload(p):
    return (p["device"] + ser_varint(zigzag(p["lat"])) + ser_varint(zigzag(p["lon"])) +
            ser_varint(p["gain"]) + ser_varint(p["region"]))


class DeviceRegistryTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.produce = False  # blocks only on `generate`: heights are the test's to choose
        self.timeout = 240

    # -- helpers

    def tip(self):
        return self.nodes[0].rpc("getblockcount")

    def mine(self):
        """One block; the mempool must be empty afterwards (everything sent was valid)."""
        node = self.nodes[0]
        node.generate(1)
        assert_equal(node.rpc("getrawmempool"), [], msg="mempool left over after a block")
        return self.tip()

    def confirmed(self, txid):
        tx = self.nodes[0].rpc("gettransaction", txid)
        assert_equal(tx["confirmations"], 1, msg="tx %s" % txid)
        return tx

    def offline(self, keyfile, *args):
        """A command built --offline with the account's next nonce; returns the hex."""
        node = self.nodes[0]
        address = node.wallet("address", keyfile=keyfile)
        nonce = node.rpc("getaccount", address)["next_nonce"]
        return node.wallet(*args, "--offline", "--nonce=%d" % nonce, keyfile=keyfile)

    def mempool_and_tip(self):
        node = self.nodes[0]
        return (sorted(node.rpc("getrawmempool")), node.rpc("getbestblockhash"))

    def rejected(self, code, message, hex_tx, exact=True):
        """sendrawtransaction refuses hex_tx with `code` and exactly `message` (or a message
        starting with it), and the mempool and tip do not change."""
        before = self.mempool_and_tip()
        e = assert_raises_rpc_error(code, message, self.nodes[0].rpc, "sendrawtransaction",
                                    hex_tx)
        if exact:
            assert_equal(e.message, message)
        else:
            assert_true(e.message.startswith(message), "%r does not start with %r" %
                        (e.message, message))
        assert_equal(self.mempool_and_tip(), before, msg="state changed after a rejection")
        return e

    def list_all(self, **filters):
        """Every page of listdevices with these filters, one device per page."""
        node = self.nodes[0]
        keys, start, pages = [], None, 0
        while True:
            args = dict(filters, limit=1)
            if start is not None:
                args["start_after"] = start
            page = node.rpc("listdevices", **args)
            pages += 1
            assert_true(len(page["devices"]) <= 1, "limit=1 returned %d" % len(page["devices"]))
            keys += [d["device"] for d in page["devices"]]
            if page["next"] is None:
                return keys, pages
            assert_equal(page["next"], page["devices"][-1]["device"])
            start = page["next"]
            assert_true(pages < 50, "listdevices pagination does not end")

    def wallet_devices(self, keyfile, *args):
        out = self.nodes[0].wallet("devices", *args, keyfile=keyfile)
        return [line.split() for line in out.splitlines()]

    # -- the test

    def run_test(self):
        node = self.nodes[0]
        faucet_kf, faucet = self.faucet_key(node)
        owner_kf, owner = self.new_key(node, "owner")
        other_kf, other = self.new_key(node, "other")
        poor_kf, poor = self.new_key(node, "poor")

        self.log("the faucet funds the owner (100), another account (20) and a poor one (5)")
        for to, amount in ((owner, "100"), (other, "20"), (poor, "5")):
            node.wallet("send", to, amount, keyfile=faucet_kf)
        self.mine()
        assert_equal(node.balance_units(owner), to_units("100"))
        chain0 = node.rpc("getblockchaininfo")
        epoch0 = node.rpc("getepochinfo")
        assert_equal(epoch0["supply_units"], chain0["supply_units"])
        fees_paid = {owner: 0, other: 0}
        burned = 0

        self.log("device keys: device-new writes a 0600 device key file")
        hotspots = os.path.join(self.tmpdir, "hotspots")
        path_a = os.path.join(hotspots, "a", "device.key")  # parent directories are created
        path_b = os.path.join(hotspots, "b.key")
        dev_a = node.wallet("device-new", path_a)
        dev_b = node.wallet("device-new", path_b)
        for dev, path in ((dev_a, path_a), (dev_b, path_b)):
            assert_true(re.fullmatch("[0-9a-f]{64}", dev), "device key %r" % dev)
            assert_equal(stat.S_IMODE(os.stat(path).st_mode), 0o600)
            with open(path) as f:
                doc = json.load(f)
            assert_equal(doc["kind"], "device")
            assert_equal(doc["device"], dev)
            assert_equal(doc["network"], "devnet")
        assert_true(dev_a != dev_b, "two device-new calls gave the same key")
        with open(path_a) as f:
            text_a = f.read()
        assert_raises_command_error(1, "already exists", node.wallet, "device-new", path_a)
        with open(path_a) as f:
            assert_equal(f.read(), text_a, msg="device-new overwrote a key file")
        # The two kinds of key file are not interchangeable.
        assert_raises_command_error(1, "is a device key file", node.wallet, "balance",
                                    keyfile=path_a)
        assert_raises_command_error(1, "not a device key file", node.wallet, "register-device",
                                    owner_kf, keyfile=other_kf)
        assert_raises_command_error(1, "unknown device class 'gpu'", node.wallet,
                                    "register-device", path_a, "--class=gpu",
                                    keyfile=owner_kf)
        assert_raises_command_error(1, "--tier", node.wallet, "register-device", path_a,
                                    "--class=compute", keyfile=owner_kf)
        assert_equal(self.mempool_and_tip()[0], [])

        self.log("register both devices through cairn-wallet")
        out_a = node.wallet("register-device", path_a, keyfile=owner_kf).splitlines()
        out_b = node.wallet("register-device", path_b, "--class=radio",
                            keyfile=owner_kf).splitlines()
        assert_equal(len(out_a), 2)
        assert_equal(out_a[1], dev_a)
        assert_equal(out_b[1], dev_b)
        assert_equal(sorted(node.rpc("getrawmempool")), sorted([out_a[0], out_b[0]]))
        reg_height = self.mine()
        for txid, dev in ((out_a[0], dev_a), (out_b[0], dev_b)):
            tx = self.confirmed(txid)
            assert_equal(tx["type"], "register_device")
            assert_equal(tx["sender"], owner)
            assert_equal(tx["payload"]["device"], dev)
            assert_equal(tx["payload"]["class"], "radio")
            assert_equal(tx["payload"]["class_data_hex"], "")
            # The wallet pays the minimum fee for the size; the burn comes on top.
            assert_equal(tx["fee_units"], tx["size"] * chain0["min_fee_per_byte"])
            fees_paid[owner] += tx["fee_units"]
        burned += 2 * ONBOARDING_FEE

        self.log("getdevice and getdevicestats on the fresh devices")
        for dev in (dev_a, dev_b):
            d = node.rpc("getdevice", dev)
            assert_equal(d["device"], dev)
            assert_equal(d["class"], "radio")
            assert_equal(d["owner"], owner)
            assert_equal(d["registered_height"], reg_height)
            assert_equal(d["location"], None)
            assert_equal(d["location_asserts"], 0)
            assert_equal(d["last_beacon_bucket"], None)
            assert_equal(d["witnessed_height"], None)
            assert_equal(d["interactive"], False)
        stats = node.rpc("getdevicestats", dev_a)
        assert_equal(stats["device"], dev_a)
        assert_equal(stats["owner"], owner)
        assert_equal(stats["beacons"], {})
        assert_equal(stats["witnesses"], {})
        assert_equal(stats["last_beacon_height"], 0)
        assert_equal(stats["last_witness_height"], 0)
        assert_equal(stats["lifetime_beacon_units"], 0)
        assert_equal(stats["lifetime_witness_units"], 0)
        assert_equal((stats["epoch_units"]["beacon"], stats["epoch_units"]["witness"]), (0, 0))
        assert_true(isinstance(stats["epoch_units"]["epoch"], int))
        assert_equal(stats["earned_units"], 0)
        assert_equal(stats["earned"], "0")
        # Unknown and malformed device keys.
        unknown_dev = node.wallet("device-new", os.path.join(hotspots, "never.key"))
        assert_raises_rpc_error(NOT_FOUND, "no such device", node.rpc, "getdevice", unknown_dev)
        assert_raises_rpc_error(NOT_FOUND, "no such device", node.rpc, "getdevicestats",
                                unknown_dev)
        assert_raises_rpc_error(INVALID_PARAMS, "64-hex-digit", node.rpc, "getdevice", "abcd")
        rows = self.wallet_devices(owner_kf)
        assert_equal(sorted(rows), sorted([[dev_a, "radio", "-", "-", "-", "-"],
                                           [dev_b, "radio", "-", "-", "-", "-"]]))

        self.log("assert locations (negative coordinates pass as arguments)")
        txid_la = node.wallet("assert-location", dev_a, AMSTERDAM[0], AMSTERDAM[1], "3.0", "EU868",
                              keyfile=owner_kf)
        txid_lb = node.wallet("assert-location", dev_b, SYDNEY[0], SYDNEY[1], "5.8", "au915",
                              keyfile=owner_kf)
        loc_height = self.mine()
        for txid in (txid_la, txid_lb):
            tx = self.confirmed(txid)
            assert_equal(tx["type"], "assert_location")
            fees_paid[owner] += tx["fee_units"]
        burned += 2 * ASSERT_FEE
        a = node.rpc("getdevice", dev_a)
        assert_equal(a["location"]["lat_e7"], AMSTERDAM[2])
        assert_equal(a["location"]["lon_e7"], AMSTERDAM[3])
        assert_equal(a["location"]["gain_ddbi"], 30)
        assert_equal(a["location"]["region"], "EU868")
        assert_equal(a["location"]["asserted_height"], loc_height)
        assert_equal(a["location_asserts"], 1)
        assert_in("cell", a["location"])
        assert_in("density_scale_e9", a)
        b = node.rpc("getdevice", dev_b)
        assert_equal(b["location"]["lat_e7"], SYDNEY[2])
        assert_equal(b["location"]["lon_e7"], SYDNEY[3])
        assert_equal(b["location"]["gain_ddbi"], 58)
        assert_equal(b["location"]["region"], "AU915")
        assert_equal(node.rpc("getdevicestats", dev_b)["location"], b["location"])
        rows = self.wallet_devices(owner_kf)
        assert_equal(sorted(rows), sorted([[dev_a, "radio", "52.3731", "4.8922", "3.0", "EU868"],
                                           [dev_b, "radio", "-33.8688", "151.2093", "5.8",
                                            "AU915"]]))

        self.log("decimal degrees are converted exactly (the node decodes the wallet's payload)")
        for lat, lon, lat_e7, lon_e7 in (("37.7749295", "-122.4194155", 377749295, -1224194155),
                                         ("-0.0000001", "-180", -1, -1800000000),
                                         ("90", "179.9999999", 900000000, 1799999999),
                                         ("0.3", "-0.1", 3000000, -1000000)):
            hex_tx = self.offline(owner_kf, "assert-location", dev_a, lat, lon, "1.0", "AS923")
            p = node.rpc("decoderawtransaction", hex_tx)["payload"]
            assert_equal((p["lat_e7"], p["lon_e7"], p["gain_ddbi"], p["region"]),
                         (lat_e7, lon_e7, 10, 3), msg="%s %s" % (lat, lon))

        self.log("listdevices by owner, region and area, one device per page")
        both = sorted([dev_a, dev_b])
        page = node.rpc("listdevices", owner=owner)
        assert_equal([d["device"] for d in page["devices"]], both)
        assert_equal(page["next"], None)
        assert_equal(page["devices"][both.index(dev_a)], node.rpc("getdevice", dev_a))
        first = node.rpc("listdevices", owner=owner, limit=1)
        assert_equal([d["device"] for d in first["devices"]], both[:1])
        assert_equal(first["next"], both[0])
        second = node.rpc("listdevices", owner=owner, limit=1, start_after=first["next"])
        assert_equal([d["device"] for d in second["devices"]], both[1:])
        assert_equal(second["next"], None)
        assert_equal(self.list_all(owner=owner), (both, 2))
        assert_equal(self.list_all(owner=other), ([], 1))
        # The scan path (no owner) pages the same way; the registry holds exactly these two.
        assert_equal(self.list_all(), (both, 2))
        assert_equal(self.list_all(region="EU868"), ([dev_a], 1))
        assert_equal(self.list_all(region="AU915"), ([dev_b], 1))
        assert_equal(self.list_all(region="US915"), ([], 1))
        assert_equal(self.list_all(owner=owner, region="AU915"), ([dev_b], 1))
        # ~350 m from the Amsterdam device: inside 5 km, outside 100 m.
        assert_equal(self.list_all(area="523700000,48900000,5000"), ([dev_a], 1))
        assert_equal(self.list_all(area="523700000,48900000,100"), ([], 1))
        assert_equal(self.list_all(area="%d,%d,1" % (SYDNEY[2], SYDNEY[3])), ([dev_b], 1))
        assert_equal(self.list_all(area="0,0,20000000"), (both, 2))
        assert_raises_rpc_error(INVALID_PARAMS, "unknown region", node.rpc, "listdevices",
                                region="EU433")
        assert_raises_rpc_error(INVALID_PARAMS, "area must be", node.rpc, "listdevices",
                                area="910000000,0,10")
        assert_raises_rpc_error(INVALID_PARAMS, "limit", node.rpc, "listdevices", limit=0)
        # cairn-wallet devices follows `next` through every page.
        assert_equal(sorted(r[0] for r in self.wallet_devices(owner_kf, "--page-size=1")), both)
        full = json.loads(node.wallet("devices", "--json", "--page-size=1", keyfile=owner_kf))
        assert_equal(full, page["devices"])

        self.log("transfer device A to another owner: the owner index follows")
        txid = node.wallet("transfer-device", dev_a, other, keyfile=owner_kf)
        self.mine()
        tx = self.confirmed(txid)
        assert_equal(tx["type"], "transfer_device")
        assert_equal(tx["payload"], {"device": dev_a, "new_owner": other})
        fees_paid[owner] += tx["fee_units"]
        a = node.rpc("getdevice", dev_a)
        assert_equal(a["owner"], other)
        assert_equal(a["location"]["lat_e7"], AMSTERDAM[2])  # the location stays
        assert_equal(a["registered_height"], reg_height)
        assert_equal(self.list_all(owner=owner), ([dev_b], 1))
        assert_equal(self.list_all(owner=other), ([dev_a], 1))
        assert_equal([r[0] for r in self.wallet_devices(owner_kf)], [dev_b])
        assert_equal([r[0] for r in self.wallet_devices(other_kf)], [dev_a])
        assert_equal([r[0] for r in self.wallet_devices(owner_kf, other)], [dev_a])

        self.log("rejections through sendrawtransaction: exact codes and reasons")
        # The same device registered again, by its owner or anyone else.
        self.rejected(VERIFY_REJECTED, "tx-device-exists",
                      self.offline(owner_kf, "register-device", path_b))
        self.rejected(VERIFY_REJECTED, "tx-device-exists",
                      self.offline(other_kf, "register-device", path_b))
        # Online, the wallet reports the node's refusal.
        assert_raises_command_error(1, "node: tx-device-exists (code -25)", node.wallet,
                                    "register-device", path_a, keyfile=other_kf)
        # Assert or transfer by a non-owner: the other account on B, the old owner on A.
        for kf, dev in ((other_kf, dev_b), (owner_kf, dev_a)):
            self.rejected(VERIFY_REJECTED, "tx-not-device-owner: " + dev,
                          self.offline(kf, "assert-location", dev, "1", "1", "3.0", "EU868"))
        self.rejected(VERIFY_REJECTED, "tx-not-device-owner: " + dev_a,
                      self.offline(owner_kf, "transfer-device", dev_a, poor))
        # A device nobody registered.
        self.rejected(VERIFY_REJECTED, "tx-unknown-device: " + unknown_dev,
                      self.offline(owner_kf, "assert-location", unknown_dev, "1", "1", "3.0",
                                   "EU868"))
        # Onboarding burns 10 CAIRN: an account with 5 cannot register.
        self.rejected(VERIFY_REJECTED, "tx-insufficient-funds",
                      self.offline(poor_kf, "register-device",
                                   os.path.join(hotspots, "never.key")), exact=False)
        # The device's consent signature is checked context-free.
        reg = decode_tx(self.offline(owner_kf, "register-device",
                                     os.path.join(hotspots, "never.key")))
        payload = bytearray(reg["payload"])
        payload[1 + 32 + 5] ^= 1  # inside the device signature (class varint, key, signature)
        reg["payload"] = bytes(payload)
        self.rejected(VERIFY_REJECTED, "tx-bad-device-signature", encode_tx(reg))

        self.log("asserting again before the interval is refused; at the interval it is not")
        # B was asserted at loc_height: the next assertion may be in block loc_height + 5.
        again = self.offline(owner_kf, "assert-location", dev_b, "-33.8689", "151.2094", "6.0",
                             "AU915")
        too_soon = "tx-assert-too-soon: last at %d, next at %d" % (loc_height,
                                                                   loc_height + ASSERT_INTERVAL)
        assert_true(self.tip() + 1 < loc_height + ASSERT_INTERVAL, "test heights")
        while self.tip() + 1 < loc_height + ASSERT_INTERVAL:
            self.rejected(VERIFY_REJECTED, too_soon, again)
            self.mine()
        # The online wallet reports it the same way before the interval (checked above), and
        # now the very same transaction is accepted.
        txid = node.rpc("sendrawtransaction", again)
        new_height = self.mine()
        assert_equal(new_height, loc_height + ASSERT_INTERVAL)
        fees_paid[owner] += self.confirmed(txid)["fee_units"]
        burned += ASSERT_FEE
        b = node.rpc("getdevice", dev_b)
        assert_equal(b["location"]["asserted_height"], new_height)
        assert_equal(b["location"]["lat_e7"], -338689000)
        assert_equal(b["location"]["gain_ddbi"], 60)
        assert_equal(b["location_asserts"], 2)
        # Right after, the wallet online gets the node's refusal.
        assert_raises_command_error(
            1, "node: tx-assert-too-soon: last at %d, next at %d (code -25)" %
            (new_height, new_height + ASSERT_INTERVAL), node.wallet, "assert-location", dev_b,
            "-33.8688", "151.2093", "5.8", "AU915", keyfile=owner_kf)

        self.log("antenna gain 20.0 dBi: the wallet refuses it before sending")
        before = self.mempool_and_tip()
        assert_raises_command_error(1, "tx-bad-antenna-gain", node.wallet, "assert-location",
                                    dev_a, "1", "1", "20.0", "EU868", keyfile=other_kf)
        assert_raises_command_error(1, "tx-bad-antenna-gain", node.wallet, "assert-location",
                                    dev_a, "1", "1", "20.0", "EU868", "--offline", "--nonce=0",
                                    keyfile=other_kf)
        assert_equal(self.mempool_and_tip(), before)
        # A raw transaction with gain 200 (a valid one re-encoded; the payload check runs
        # before the signature check and names the problem).
        tx = decode_tx(self.offline(other_kf, "assert-location", dev_a, "1", "1", "3.0",
                                    "EU868"))
        p = decode_assert_payload(tx["payload"])
        assert_equal((p["lat"], p["lon"], p["gain"], p["region"]), (10000000, 10000000, 30, 0))
        p["gain"] = 200
        tx["payload"] = encode_assert_payload(p)
        tx["fee"] = 10**6
        self.rejected(VERIFY_REJECTED, "tx-bad-antenna-gain: 200", encode_tx(tx))
        p["gain"], p["region"] = 30, 4
        tx["payload"] = encode_assert_payload(p)
        self.rejected(VERIFY_REJECTED, "tx-unknown-region: 4", encode_tx(tx))
        p["region"], p["lat"] = 0, 900000001
        tx["payload"] = encode_assert_payload(p)
        self.rejected(VERIFY_REJECTED, "tx-bad-location: 900000001,10000000", encode_tx(tx))

        self.log("the wallet refuses bad input; nothing reaches the mempool")
        for args, message in (
                ((dev_a, "52.37310001", "4.8922", "3.0", "EU868"), "more than 7 decimals"),
                ((dev_a, "91", "4.8922", "3.0", "EU868"), "out of range"),
                ((dev_a, "52.3731", "180", "3.0", "EU868"), "out of range"),
                ((dev_a, "52,3731", "4.8922", "3.0", "EU868"), "invalid latitude"),
                ((dev_a, "5e1", "4.8922", "3.0", "EU868"), "invalid latitude"),
                ((dev_a, "52.3731", "4.8922", "3.25", "EU868"), "more than one decimal"),
                ((dev_a, "52.3731", "4.8922", "3.0", "EU433"), "unknown region 'EU433'"),
                ((dev_a[:-2], "52.3731", "4.8922", "3.0", "EU868"), "invalid device key"),
                ((dev_a, "52.3731", "4.8922", "3.0"), "usage: cairn-wallet")):
            assert_raises_command_error(1, message, node.wallet, "assert-location", *args,
                                        keyfile=other_kf)
        assert_raises_command_error(1, "already belongs", node.wallet, "transfer-device", dev_a,
                                    other, keyfile=other_kf)
        assert_raises_command_error(1, "invalid address", node.wallet, "transfer-device", dev_a,
                                    "dcairn1xyz", keyfile=other_kf)
        assert_raises_command_error(1, "--page-size is only for devices", node.wallet, "balance",
                                    "--page-size=2", keyfile=other_kf)
        assert_raises_command_error(1, "--offline needs --nonce", node.wallet, "transfer-device",
                                    dev_a, owner, "--offline", keyfile=other_kf)
        assert_equal(self.mempool_and_tip(), before)

        self.log("owner plus region or area filters page through the whole owner index")
        # The owner now holds B (AU915) and two more: C in AU915 and D in EU868. Whatever the
        # key order, a filtered page must look past owner devices the filter skips.
        more = {}
        for name, lat, lon, region in (("c", "-37.8136", "144.9631", "AU915"),
                                       ("d", "48.8566", "2.3522", "EU868")):
            path = os.path.join(hotspots, name + ".key")
            more[name] = node.wallet("device-new", path)
            txid = node.wallet("register-device", path, keyfile=owner_kf).splitlines()[0]
            more[name + "_reg"] = txid
        self.mine()
        burned += 2 * ONBOARDING_FEE
        for name, lat, lon, region in (("c", "-37.8136", "144.9631", "AU915"),
                                       ("d", "48.8566", "2.3522", "EU868")):
            fees_paid[owner] += self.confirmed(more[name + "_reg"])["fee_units"]
            txid = node.wallet("assert-location", more[name], lat, lon, "3.0", region,
                               keyfile=owner_kf)
            more[name + "_loc"] = txid
        self.mine()
        burned += 2 * ASSERT_FEE
        for name in ("c", "d"):
            fees_paid[owner] += self.confirmed(more[name + "_loc"])["fee_units"]
        dev_c, dev_d = more["c"], more["d"]
        assert_equal(self.list_all(owner=owner), (sorted([dev_b, dev_c, dev_d]), 3))
        assert_equal(self.list_all(owner=owner, region="AU915"), (sorted([dev_b, dev_c]), 2))
        assert_equal(self.list_all(owner=owner, region="EU868"), ([dev_d], 1))
        assert_equal(self.list_all(owner=owner, region="US915"), ([], 1))
        assert_equal(self.list_all(owner=owner, area="488566000,23522000,10000"), ([dev_d], 1))
        assert_equal(self.list_all(owner=other, region="EU868"), ([dev_a], 1))
        assert_equal(self.list_all(region="EU868"), (sorted([dev_a, dev_d]), 2))
        assert_equal(sorted(r[0] for r in self.wallet_devices(owner_kf, "--page-size=1")),
                     sorted([dev_b, dev_c, dev_d]))

        self.log("supply: down by exactly the burned onboarding and location fees")
        chain = node.rpc("getblockchaininfo")
        epoch = node.rpc("getepochinfo")
        assert_equal(epoch["epoch"], 0, msg="the test must stay in epoch 0 (no emission)")
        assert_true(chain["blocks"] < EPOCH_LENGTH)
        assert_equal(epoch["minted_total_units"], epoch0["minted_total_units"])
        assert_equal(burned, 4 * ONBOARDING_FEE + 5 * ASSERT_FEE)
        assert_equal(epoch["burned_total_units"] - epoch0["burned_total_units"], burned)
        assert_equal(chain0["supply_units"] - chain["supply_units"], burned)
        assert_equal(epoch["supply_units"], chain["supply_units"])
        # Transaction fees are not burned: they wait in the epoch's fee pool.
        assert_equal(epoch["fees_units"] - epoch0["fees_units"], sum(fees_paid.values()))
        # The owner paid exactly the fees and the burns.
        assert_equal(node.balance_units(owner), to_units("100") - fees_paid[owner] - burned)
        assert_equal(node.balance_units(other), to_units("20"))


if __name__ == "__main__":
    DeviceRegistryTest().main()
