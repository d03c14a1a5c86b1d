#!/usr/bin/env python3
"""Proof of compute end to end: cairn-devsim runs three honest compute provers (devnet tier
cpu-dev, oneDNN) and one of each compute cheat against a devnet node for two reward epochs (three
compute buckets of 15 blocks), then everything is checked over RPC:

- every honest device passed every bucket it was challenged in (getdevicestats
  compute_stats.buckets, getdevice last_bucket), its reports were judged valid in blocks
  (getblock compute entries, commits by h0 + D, opens after the spot block) and it was paid;
- each cheater failed with its recorded reason:
    fraction  (half the output rows, zeros for the rest) -> compute-wrong-value (with the spot),
    late      (commit after h0 + D)                      -> compute-late-commit (entry and outcome),
    replay    (the previous bucket's commit and open)    -> refused compute-stale-bucket, outcome
                                                            compute-no-commit (its first bucket,
                                                            which it answers honestly, passes),
    recommit  (garbage root, then the honest one)        -> refused compute-duplicate-commit,
                                                            open compute-bad-path (spot 0),
    mismatch  (tiles rebuilt around the spot cells)      -> compute-bad-path (spot 0),
    sybil     (one machine, three ids)                   -> first id passes, the others
                                                            compute-late-commit;
  the refusals (which the node does not record) come from cairn-devsim's JSON summary;
- each finished epoch pays every device floor(compute_pool x units / total units), and the sums,
  minted + unminted == emission, supply == genesis + minted - burned hold;
- a second run with the same seed reactivates the cheaters the chain deactivated after
  max_missed_buckets failures and reuses the registered fleet (no onboarding fee burned again).
"""

from test_framework import (FAUCET_BALANCE_UNITS, CairnTestFramework, assert_equal,
                            assert_greater_than, assert_in, assert_true, wait_until)

SEED = 11
HONEST = 3
CHEATERS = "fraction=1,late=1,replay=1,recommit=1,mismatch=1,sybil=3"
KINDS = {"honest": 3, "fraction": 1, "late": 1, "replay": 1, "recommit": 1, "mismatch": 1,
         "sybil": 3}
COMPUTE_BPS = 3000


class ComputeTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.blocktime = 300
        self.timeout = 120

    def devsim(self, node, *args, timeout=90):
        return self.run_devsim(
            node, ["--devices=0", "--compute=%d" % HONEST, "--compute-cheaters=" + CHEATERS]
            + list(args), SEED, timeout,
            lambda line: "compute bucket" in line or "setup" in line or "WARNING" in line)

    def run_test(self):
        node = self.nodes[0]
        info = node.rpc("getcomputeinfo")
        tier = info["tiers"][0]
        assert_equal(tier["name"], "cpu-dev")
        D, weight = tier["deadline"], tier["weight"]
        settle_offset, max_missed = info["settle_offset"], info["max_missed_buckets"]

        self.log("cairn-devsim: %d honest compute devices + %s, two epochs" % (HONEST, CHEATERS))
        summary = self.devsim(node, "--epochs=2")
        c = summary["compute"]
        assert_true(summary["consistent"], "mismatches: %r" % summary["mismatches"])
        assert_true(c["consistent"])
        assert_equal(c["kinds"], KINDS)
        assert_equal(c["tier"]["name"], "cpu-dev")
        assert_in(c["backend"], ("onednn", "loop"))  # auto: loop where oneDNN is inexact
        devices = c["devices"]
        by_kind = {}
        for d in devices:
            by_kind.setdefault(d["kind"], []).append(d)
        buckets = [b["bucket"] for b in c["buckets"]]
        n = len(buckets)
        self.log("compute buckets %r, epochs %r, timing %r" %
                 (buckets, [e["epoch"] for e in summary["epochs"]], summary["timing"]))
        assert_true(n >= 2, "at least two compute buckets, got %r" % buckets)
        assert_true(len(summary["epochs"]) >= 1, "at least one finished epoch")
        for b in c["buckets"]:
            # devsim's in-time commits reached the pool before the deadline block.
            assert_true(b["commits_tip"] < b["commit_deadline"], repr(b))
            assert_equal(b["challenged"], len(devices))
        # One machine answers for the three sybil ids.
        assert_equal(len({d["prover"] for d in by_kind["sybil"]}), 1)
        assert_equal(sorted(d["rank"] for d in by_kind["sybil"]), [0, 1, 2])

        stats = {d["device"]: node.rpc("getdevicestats", d["device"])["compute_stats"]
                 for d in devices}
        infos = {d["device"]: node.rpc("getdevice", d["device"]) for d in devices}

        self.log("every compute report in the run's blocks, by device")
        entries = {}  # device -> [(height, kind, bucket, code, spot)]
        for h in range(summary["start_height"] + 1, summary["end_height"] + 1):
            for e in node.rpc("getblock", h)["compute"]:
                entries.setdefault(e["device"], []).append(
                    (h, e["kind"], e["bucket"], e["verdict"]["code"], e["verdict"].get("spot")))

        def entry_codes(d):
            return sorted((kind, code) for (_, kind, _, code, _) in entries.get(d["device"], []))

        def registered(d):
            info = infos[d["device"]]
            assert_equal(info["class"], "compute")
            assert_equal(info["owner"], d["owner"])
            assert_equal(info["compute"]["tier"], "cpu-dev")

        self.log("honest devices pass every bucket, in time, and are paid")
        honest = by_kind["honest"] + [d for d in by_kind["sybil"] if d["rank"] == 0]
        for d in honest:
            registered(d)
            s = stats[d["device"]]
            assert_equal(d["challenged"], n)
            assert_equal(s["buckets"], {"valid": n})
            assert_equal(s["reports"], {"valid": 2 * n})
            assert_equal(s["lifetime_units"], n * weight)
            assert_greater_than(s["earned_units"], 0)
            assert_equal(d["refused"], {})
            assert_equal(infos[d["device"]]["compute"]["last_bucket"],
                         {"start": buckets[-1], "outcome": {"code": "valid"}})
            assert_true(infos[d["device"]]["compute"]["active"])
            for (h, kind, bucket, code, _) in entries[d["device"]]:
                assert_equal(code, "valid")
                if kind == "commit":
                    assert_true(bucket < h <= bucket + D, "commit at %d for %d" % (h, bucket))
                else:
                    assert_true(bucket + D + 1 < h <= bucket + settle_offset,
                                "open at %d for %d" % (h, bucket))
            assert_equal(entry_codes(d), sorted([("commit", "valid"), ("open", "valid")] * n))

        def failed_every_bucket(d, code):
            registered(d)
            s = stats[d["device"]]
            assert_equal(s["buckets"], {code: n})
            assert_equal(s["lifetime_units"], 0)
            assert_equal(s["earned_units"], 0)
            assert_equal(infos[d["device"]]["compute"]["last_bucket"]["outcome"]["code"], code)
            # Deactivated after max_missed_buckets failures in a row.
            assert_equal(infos[d["device"]]["compute"]["active"], n < max_missed)

        self.log("fraction: half the rows computed -> compute-wrong-value at the first bad spot")
        for d in by_kind["fraction"]:
            failed_every_bucket(d, "compute-wrong-value")
            assert_equal(entry_codes(d),
                         sorted([("commit", "valid"), ("open", "compute-wrong-value")] * n))
            for b in d["buckets"]:
                # devsim predicted the spot number (the first spot in an uncomputed row).
                assert_equal(b["outcome"], b["expected"]["outcome"])
            spots = [spot for (_, kind, _, _, spot) in entries[d["device"]] if kind == "open"]
            assert_true(all(isinstance(s, int) for s in spots), repr(spots))
            assert_equal(d["refused"], {})

        self.log("late: commits after h0 + D -> compute-late-commit, its opens refused")
        late = by_kind["late"] + [d for d in by_kind["sybil"] if d["rank"] > 0]
        for d in late:
            failed_every_bucket(d, "compute-late-commit")
            assert_equal(entry_codes(d), [("commit", "compute-late-commit")] * n)
            for (h, kind, bucket, code, _) in entries[d["device"]]:
                assert_true(h > bucket + D, "late commit at %d for bucket %d" % (h, bucket))
            assert_equal(d["refused"], {"compute-no-commit": n})

        self.log("sybil: one machine, three ids: only the first id answers in time")
        sybil = sorted(by_kind["sybil"], key=lambda d: d["rank"])
        assert_equal(stats[sybil[0]["device"]]["buckets"], {"valid": n})
        for d in sybil[1:]:
            assert_equal(stats[d["device"]]["buckets"], {"compute-late-commit": n})

        self.log("replay: its stale commit and open are refused -> compute-no-commit")
        for d in by_kind["replay"]:
            registered(d)
            s = stats[d["device"]]
            # Its first bucket it answers honestly (it needs something to replay).
            assert_equal(s["buckets"], {"valid": 1, "compute-no-commit": n - 1})
            assert_equal(s["reports"], {"valid": 2})
            assert_equal(entry_codes(d), [("commit", "valid"), ("open", "valid")])
            assert_equal(d["refused"], {"compute-stale-bucket": 2 * (n - 1)})
            assert_equal(d["replays"], {"sent": 2 * (n - 1), "accepted": 0})
            assert_equal(s["lifetime_units"], weight)

        self.log("recommit: second commit refused, open under the garbage root compute-bad-path")
        for d in by_kind["recommit"]:
            failed_every_bucket(d, "compute-bad-path")
            assert_equal(d["refused"], {"compute-duplicate-commit": n})
            assert_equal(entry_codes(d),
                         sorted([("commit", "valid"), ("open", "compute-bad-path")] * n))
            assert_true(all(spot == 0 for (_, kind, _, _, spot) in entries[d["device"]]
                            if kind == "open"))

        self.log("mismatch: tiles that do not hash to the committed leaves -> compute-bad-path")
        for d in by_kind["mismatch"]:
            failed_every_bucket(d, "compute-bad-path")
            assert_equal(d["refused"], {})
            assert_equal(entry_codes(d),
                         sorted([("commit", "valid"), ("open", "compute-bad-path")] * n))
            assert_true(all(spot == 0 for (_, kind, _, _, spot) in entries[d["device"]]
                            if kind == "open"))

        assert_equal(c["refusals_by_kind"],
                     {"replay": {"compute-stale-bucket": 2 * (n - 1)},
                      "recommit": {"compute-duplicate-commit": n},
                      "late": {"compute-no-commit": n},
                      "sybil": {"compute-no-commit": 2 * n}})

        self.log("payouts: floor(compute_pool x units / total units) in every finished epoch")
        paid_epochs = set()
        for e in range(0, node.rpc("getepochinfo")["epoch"]):
            payouts = self.check_epoch_payouts(node, e)
            for d in honest:
                if any(p["device"] == d["device"] for p in payouts):
                    paid_epochs.add(e)
        for d in honest:
            for pe in d["epochs"]:
                assert_greater_than(pe["compute_amount_units"], 0)
                assert_equal(pe["compute_amount_units"], pe["expected_amount_units"])
        for d in by_kind["fraction"] + late + by_kind["recommit"] + by_kind["mismatch"]:
            assert_true(all(pe["compute_amount_units"] == 0 for pe in d["epochs"]), repr(d))
        assert_true(len(paid_epochs) >= 1)

        self.log("supply == genesis + minted - burned")
        self.check_supply(node)
        assert_equal(summary["accounting"]["genesis_supply_units"], FAUCET_BALANCE_UNITS)
        assert_true(summary["accounting"]["consistent"])

        self.log("a second run with the same seed reactivates and reuses the fleet")
        burned_before = node.rpc("getepochinfo")["burned_total_units"]
        again = self.devsim(node, "--buckets=1", "--rpccookiefile=" + node.cookie_path)
        ca = again["compute"]
        assert_equal([d["device"] for d in ca["devices"]], [d["device"] for d in devices])
        assert_equal(len(ca["buckets"]), 1)
        assert_true(again["consistent"], "mismatches: %r" % again["mismatches"])
        # Reactivation and registration checks cost transaction fees only (paid to validators):
        # no onboarding fee was burned again.
        assert_equal(node.rpc("getepochinfo")["burned_total_units"], burned_before)
        want = {"honest": "valid", "fraction": "compute-wrong-value", "late": "compute-late-commit",
                "replay": "valid", "recommit": "compute-bad-path", "mismatch": "compute-bad-path"}
        for d in ca["devices"]:
            assert_equal(d["challenged"], 1)
            code = want.get(d["kind"]) or ("valid" if d["rank"] == 0 else "compute-late-commit")
            assert_equal(d["outcomes"], {code: 1})
            info = node.rpc("getdevice", d["device"])["compute"]
            assert_true(info["active"])
            assert_equal(info["last_bucket"]["outcome"]["code"], code)
        self.check_supply(node)

    def check_epoch_payouts(self, node, epoch):
        info = node.rpc("getepochinfo", epoch)
        payouts, start = [], None
        while True:
            args = {"epoch": epoch, "limit": 1000}
            if start is not None:
                args["start_after"] = start
            page = node.rpc("getepochrewards", **args)
            payouts += page["rewards"]
            if page["next"] is None:
                break
            start = page["next"]
        total = sum(p["compute_units"] for p in payouts)
        pool = info["compute_pool_units"]
        assert_equal(pool, info["emission_units"] * COMPUTE_BPS // 10000)
        for p in payouts:
            want = pool * p["compute_units"] // total if total else 0
            assert_equal(p["compute_amount_units"], want,
                         msg="epoch %d device %s compute" % (epoch, p["device"]))
            assert_equal(p["amount_units"], p["beacon_amount_units"] +
                         p["witness_amount_units"] + p["compute_amount_units"])
            if p["compute_units"]:
                assert_equal(p["compute_units"], p["compute_buckets"])  # cpu-dev weight 1
        assert_equal(info["compute_paid_units"], sum(p["compute_amount_units"] for p in payouts))
        assert_equal(info["compute_devices_paid"],
                     sum(1 for p in payouts if p["compute_amount_units"] > 0))
        assert_equal(info["minted_units"] + info["unminted_units"], info["emission_units"])
        owners = node.rpc("getepochrewards", epoch=epoch, by="owner", limit=1000)["rewards"]
        assert_equal(sum(o["amount_units"] for o in owners),
                     sum(p["amount_units"] for p in payouts))
        self.log("  epoch %d: compute pool %d, paid %d to %d devices for %d units" %
                 (epoch, pool, info["compute_paid_units"], info["compute_devices_paid"], total))
        return [p for p in payouts if p["compute_amount_units"] > 0]

    def check_supply(self, node):
        def consistent():
            h = node.rpc("getblockcount")
            ep = node.rpc("getepochinfo")
            chain = node.rpc("getblockchaininfo")
            if not (h == ep["height"] == chain["blocks"] == node.rpc("getblockcount")):
                return None
            return ep, chain
        ep, chain = wait_until(consistent, timeout=10, interval=0.01,
                               msg="one height for getepochinfo and getblockchaininfo")
        assert_equal(chain["supply_units"],
                     FAUCET_BALANCE_UNITS + ep["minted_total_units"] - ep["burned_total_units"])
        assert_equal(ep["supply_units"], chain["supply_units"])
        minted = sum(node.rpc("getepochinfo", e)["minted_units"] for e in range(ep["epoch"]))
        assert_equal(ep["minted_total_units"], minted)


if __name__ == "__main__":
    ComputeTest().main()
