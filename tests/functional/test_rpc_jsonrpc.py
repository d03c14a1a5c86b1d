#!/usr/bin/env python3
"""JSON-RPC 2.0 handling: parse errors, invalid requests, unknown methods, parameter checking,
named parameters, batches, notifications, body limits, the work queue, getblock/getblockhash,
help, cairn-cli's handling of -named and errors, and hostile bodies (deeply nested JSON)."""

import http.client
import json
import threading
import time

from test_framework import (CairnTestFramework, assert_equal, assert_in,
                            assert_raises_command_error, assert_raises_rpc_error, assert_true)

PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
NOT_FOUND = -5


class RpcJsonRpcTest(CairnTestFramework):
    def set_test_params(self):
        self.num_nodes = 1
        self.produce = False

    def post(self, body, expect_status=200):
        """Posts a raw body; returns the parsed JSON reply (None for an empty body)."""
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        status, data, headers = self.node.http(body)
        assert_equal(status, expect_status, msg="body %r -> %r" % (str(body)[:200], data[:300]))
        if status == 204:
            assert_equal(data, b"")
            return None
        assert_in("application/json", headers.get("content-type", ""))
        return json.loads(data)

    def error_of(self, reply, code, substring=None):
        assert_true(isinstance(reply, dict), "reply is not an object: %r" % (reply,))
        assert_equal(reply.get("jsonrpc"), "2.0")
        assert_true("result" not in reply or reply["result"] is None, "error reply with result")
        err = reply.get("error")
        assert_true(err is not None, "no error in %r" % (reply,))
        assert_equal(err["code"], code, msg=err.get("message"))
        assert_true(isinstance(err["message"], str) and err["message"], "empty error message")
        if substring is not None:
            assert_in(substring, err["message"])
        return err

    def req(self, method, params=None, id=1, **extra):
        r = {"jsonrpc": "2.0", "method": method, "id": id}
        if params is not None:
            r["params"] = params
        r.update(extra)
        return r

    def run_test(self):
        self.node = node = self.nodes[0]
        hashes = node.generate(5)
        assert_equal(len(hashes), 5)
        assert_equal(node.rpc("getblockcount"), 5)

        self.log("parse errors and invalid requests")
        for body in ["{", "not json", '{"method": "getblockcount", "id": 1', "\x00\x01", ""]:
            reply = self.post(body)
            self.error_of(reply, PARSE_ERROR)
            assert_equal(reply["id"], None)
        for body in ["42", '"getblockcount"', "null", "true"]:
            self.error_of(self.post(body), INVALID_REQUEST)
        self.error_of(self.post("[]"), INVALID_REQUEST, "empty batch")
        self.error_of(self.post({"jsonrpc": "2.0", "id": 1}), INVALID_REQUEST, "method")
        self.error_of(self.post({"jsonrpc": "2.0", "id": 1, "method": 5}), INVALID_REQUEST)
        self.error_of(self.post({"jsonrpc": "2.0", "id": {"a": 1}, "method": "getblockcount"}),
                      INVALID_REQUEST, "id")
        self.error_of(self.post({"jsonrpc": "1.5", "id": 1, "method": "getblockcount"}),
                      INVALID_REQUEST, "jsonrpc")
        self.error_of(self.post(self.req("getblockcount", params="x")), INVALID_REQUEST, "params")
        self.error_of(self.post(self.req("getblockcount", params=3)), INVALID_REQUEST, "params")

        self.log("unknown method")
        err = self.error_of(self.post(self.req("nosuchmethod")), METHOD_NOT_FOUND, "nosuchmethod")
        assert_raises_rpc_error(METHOD_NOT_FOUND, "getblockCount", node.rpc, "getblockCount")

        self.log("parameter checking: missing, wrong type, extra, unknown name")
        assert_raises_rpc_error(INVALID_PARAMS, "missing parameter 'height'", node.rpc,
                                "getblockhash")
        assert_raises_rpc_error(INVALID_PARAMS, "'height'", node.rpc, "getblockhash", "1")
        assert_raises_rpc_error(INVALID_PARAMS, "'height'", node.rpc, "getblockhash", -1)
        assert_raises_rpc_error(INVALID_PARAMS, "'height'", node.rpc, "getblockhash", 1.5)
        assert_raises_rpc_error(INVALID_PARAMS, "'height'", node.rpc, "getblockhash", True)
        assert_raises_rpc_error(INVALID_PARAMS, "at most 1", node.rpc, "getblockhash", 1, 2)
        assert_raises_rpc_error(INVALID_PARAMS, "at most 0", node.rpc, "getblockcount", 1)
        assert_raises_rpc_error(INVALID_PARAMS, "unknown parameter 'hieght'", node.rpc,
                                "getblockhash", hieght=1)
        assert_raises_rpc_error(INVALID_PARAMS, "'verbosity'", node.rpc, "getblock", 1, "2")
        assert_raises_rpc_error(INVALID_PARAMS, "verbosity", node.rpc, "getblock", 1, 3)
        assert_raises_rpc_error(INVALID_PARAMS, "'blockhash'", node.rpc, "getblock", "abc")
        assert_raises_rpc_error(INVALID_PARAMS, "'blockhash'", node.rpc, "getblock", "zz" * 32)
        assert_raises_rpc_error(INVALID_PARAMS, "'txid'", node.rpc, "gettransaction", "00" * 31)
        assert_raises_rpc_error(INVALID_PARAMS, "'verbose'", node.rpc, "getrawmempool", 1)
        assert_raises_rpc_error(INVALID_PARAMS, "'hexstring'", node.rpc, "sendrawtransaction",
                                ["abc"])
        assert_raises_rpc_error(INVALID_PARAMS, "'address'", node.rpc, "getaccount", 5)
        assert_raises_rpc_error(INVALID_PARAMS, "invalid address", node.rpc, "getaccount",
                                "dcairn1notanaddress")

        self.log("named parameters, null parameters")
        assert_equal(node.rpc("getblockhash", height=2), hashes[1])
        b = node.rpc("getblock", blockhash=3, verbosity=2)
        assert_equal(b["hash"], hashes[2])
        b = node.rpc("getblock", verbosity=1, blockhash=hashes[2])
        assert_equal(b["height"], 3)
        assert_raises_rpc_error(INVALID_PARAMS, "missing parameter 'blockhash'", node.rpc,
                                "getblock", verbosity=1)
        # null params (absent), null positional and named values (the default).
        assert_equal(self.post({"jsonrpc": "2.0", "id": 3, "method": "getblockcount",
                                "params": None})["result"], 5)
        assert_equal(self.post(self.req("getblock", [1, None]))["result"]["hash"], hashes[0])
        assert_equal(self.post(self.req("getblock", {"blockhash": 1, "verbosity": None}))
                     ["result"]["hash"], hashes[0])
        self.error_of(self.post(self.req("getblockhash", [None])), INVALID_PARAMS, "missing")
        # jsonrpc may be omitted; ids of every allowed type come back unchanged.
        assert_equal(self.post({"id": 9, "method": "getblockcount"})["result"], 5)
        for id_ in ["abc", 0, 123456789012, None, 1.5, ""]:
            reply = self.post(self.req("getblockcount", id=id_))
            assert_equal(reply["id"], id_)
            assert_equal(reply["result"], 5)

        self.log("batches")
        batch = [
            self.req("getblockcount", id=1),
            self.req("nosuchmethod", id="two"),
            self.req("getblockhash", [99], id=3),
            {"jsonrpc": "2.0", "method": "getblockcount"},  # notification: no reply
            self.req("getblockhash", ["x"], id=4),
            42,
            self.req("getblockhash", [0], id=5),
        ]
        replies = self.post(batch)
        assert_true(isinstance(replies, list), "batch reply is not an array")
        assert_equal(len(replies), 6)
        by_id = {json.dumps(r["id"]): r for r in replies}
        assert_equal(by_id["1"]["result"], 5)
        self.error_of(by_id['"two"'], METHOD_NOT_FOUND)
        self.error_of(by_id["3"], NOT_FOUND, "out of range")
        self.error_of(by_id["4"], INVALID_PARAMS)
        self.error_of(by_id["null"], INVALID_REQUEST)
        assert_equal(by_id["5"]["result"], node.rpc("getblockhash", 0))

        self.log("notifications: HTTP 204, no body")
        self.post({"jsonrpc": "2.0", "method": "getblockcount"}, expect_status=204)
        self.post({"jsonrpc": "2.0", "method": "nosuchmethod", "params": []}, expect_status=204)
        self.post([{"jsonrpc": "2.0", "method": "getblockcount"},
                   {"jsonrpc": "2.0", "method": "getblockhash", "params": ["bad"]}],
                  expect_status=204)
        # A notification still runs: generate without an id makes a block.
        self.post({"jsonrpc": "2.0", "method": "generate", "params": [1]}, expect_status=204)
        assert_equal(node.rpc("getblockcount"), 6)
        hashes.append(node.rpc("getbestblockhash"))

        self.log("getblock by height and hash at each verbosity")
        for height in range(0, 7):
            h = node.rpc("getblockhash", height)
            b1 = node.rpc("getblock", height)
            assert_equal(b1, node.rpc("getblock", h, 1))
            assert_equal(b1["hash"], h)
            assert_equal(b1["height"], height)
            assert_equal(b1["confirmations"], 6 - height + 1)
            assert_equal(b1["ntx"], len(b1["tx"]))
            b0 = node.rpc("getblock", h, 0)
            assert_equal(b0, node.rpc("getblock", height, 0))
            assert_equal(len(b0), 2 * b1["size"])
            bytes.fromhex(b0)
            b2 = node.rpc("getblock", height, 2)
            assert_equal(b2["hash"], h)
            assert_equal(b2["ntx"], b1["ntx"])
            if height > 0:
                assert_equal(b1["previousblockhash"], node.rpc("getblockhash", height - 1))
                assert_true(b1["proposer"].startswith("dcairn1"))
            if height < 6:
                assert_equal(b1["nextblockhash"], node.rpc("getblockhash", height + 1))
            else:
                assert_true("nextblockhash" not in b1, "the tip has no next block")
            header = node.rpc("getblockheader", h)
            assert_equal(header["hash"], h)
            assert_equal(header["height"], height)
            hdr_hex = node.rpc("getblockheader", height, False)
            assert_true(b0.startswith(hdr_hex), "block hex starts with the header hex")
        assert_equal(node.rpc("getblockhash", 6), node.rpc("getbestblockhash"))

        self.log("not found: -5")
        assert_raises_rpc_error(NOT_FOUND, "out of range", node.rpc, "getblockhash", 7)
        assert_raises_rpc_error(NOT_FOUND, "out of range", node.rpc, "getblockhash", 2**64 - 1)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getblock", 1000)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getblock", "ab" * 32)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getblock", "ab" * 32, 0)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getblockheader", "ab" * 32)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "gettransaction", "ab" * 32)
        assert_raises_rpc_error(NOT_FOUND, None, node.rpc, "getmempoolentry", "ab" * 32)

        self.log("generate limits")
        assert_raises_rpc_error(INVALID_PARAMS, "between 1 and 1000", node.rpc, "generate", 0)
        assert_raises_rpc_error(INVALID_PARAMS, "between 1 and 1000", node.rpc, "generate", 1001)
        assert_raises_rpc_error(INVALID_PARAMS, "'nblocks'", node.rpc, "generate", -1)
        assert_equal(node.rpc("getblockcount"), 6)

        self.log("help")
        text = node.rpc("help")
        for name in ["getblock", "getblockhash", "getblockchaininfo", "getaccount",
                     "sendrawtransaction", "getrawmempool", "generate", "help", "stop"]:
            assert_in(name, text)
        text = node.rpc("help", "getblock")
        assert_in("verbosity", text)
        assert_in("Arguments", text)
        assert_equal(node.rpc("help", command="getblock"), text)
        assert_raises_rpc_error(INVALID_PARAMS, "nosuch", node.rpc, "help", "nosuch")
        assert_in("getblock", node.cli("help"))
        assert_in("verbosity", node.cli("help", "getblock"))

        self.log("cairn-cli: positional and -named arguments, errors")
        assert_equal(node.cli("getblockhash", 2), hashes[1])
        assert_equal(json.loads(node.cli("getblock", 2, 2))["hash"], hashes[1])
        assert_equal(node.cli("-named", "getblockhash", "height=3"), hashes[2])
        assert_equal(json.loads(node.cli("-named", "getblock", "blockhash=3", "verbosity=1"))
                     ["hash"], hashes[2])
        assert_equal(node.cli("-named", "getblock", "blockhash=" + hashes[2], "verbosity=0"),
                     node.rpc("getblock", 3, 0))
        e = assert_raises_command_error(1, "error code: -5", node.cli, "getblockhash", 100)
        assert_in("out of range", e.stderr)
        assert_equal(e.stdout, "")
        e = assert_raises_command_error(1, "error code: -32601", node.cli, "nosuchmethod")
        e = assert_raises_command_error(1, "error code: -32602", node.cli, "-named",
                                        "getblockhash", "hieght=1")
        assert_in("hieght", e.stderr)
        assert_raises_command_error(1, "key=value", node.cli, "-named", "getblockhash", "3")
        assert_raises_command_error(1, "unknown option", node.cli, "-bogus", "getblockcount")
        assert_raises_command_error(1, "could not connect", node.cli, "getblockcount",
                                    options=["-rpcport=1"])

        self.log("oversized body (> 4 MiB) is refused; the node keeps answering")
        big = json.dumps(self.req("getblockhash", ["a" * (4 * 1024 * 1024 + 10)]))
        try:
            status, data, _ = node.http(big)
            assert_true(status in (400, 413), "oversized body answered HTTP %d" % status)
        except (ConnectionError, OSError):
            pass  # closing the connection is also a refusal
        assert_equal(node.rpc("getblockcount"), 6)
        # Just under the limit is fine (and an error about the parameter, not a crash).
        under = json.dumps(self.req("getblockhash", ["a" * (4 * 1024 * 1024 - 200)]))
        status, data, _ = node.http(under)
        assert_equal(status, 200)
        self.error_of(json.loads(data), INVALID_PARAMS)
        assert_equal(node.rpc("getblockcount"), 6)

        self.log("several requests on one keep-alive connection; batch size limit")
        conn = http.client.HTTPConnection("127.0.0.1", node.rpcport, timeout=30)
        try:
            for i in range(3):
                conn.request("POST", "/", body=json.dumps(self.req("getblockcount", id=i)),
                             headers={"Authorization": node.auth_header()})
                r = conn.getresponse()
                assert_equal(r.status, 200)
                assert_equal(json.loads(r.read())["id"], i)
        finally:
            conn.close()
        self.error_of(self.post([self.req("getblockcount", id=i) for i in range(1001)]),
                      INVALID_REQUEST, "batch")
        assert_equal(len(self.post([self.req("getblockcount", id=i) for i in range(1000)])),
                     1000)

        self.log("a full work queue answers 503, and the node recovers")
        node.stop()
        node.start(extra_args=["--rpcthreads=1", "--rpcworkqueue=1"])
        results = []

        def call(body):
            try:
                results.append(node.http(json.dumps(body))[0])
            except Exception as e:  # recorded, judged below
                results.append(repr(e))
        slow = threading.Thread(target=call, args=(self.req("generate", [1000]),))
        slow.start()
        time.sleep(0.05)  # generate 1000 (~0.5 s) occupies the only worker
        others = [threading.Thread(target=call, args=(self.req("getblockcount"),))
                  for _ in range(4)]
        for t in others:
            t.start()
        for t in [slow] + others:
            t.join(timeout=60)
        assert_equal(len(results), 5)
        assert_true(503 in results, "no 503 with a full work queue: %r" % results)
        assert_true(all(r in (200, 503) for r in results), repr(results))
        assert_equal(node.rpc("getblockcount"), 1006)

        self.log("deeply nested JSON does not crash the node")
        depth = 200000
        nested = "[" * depth + "]" * depth
        for body in ['{"jsonrpc":"2.0","id":1,"method":"getblockhash","params":[%s]}' % nested,
                     '{"jsonrpc":"2.0","id":%s,"method":"getblockcount"}' % nested,
                     nested]:
            try:
                status, data, _ = node.http(body)
                assert_true(status in (200, 400, 413), "HTTP %d" % status)
            except (ConnectionError, OSError) as e:
                self.log("request failed: %r" % e)
            try:
                assert_equal(node.rpc("getblockcount"), 1006)
            except (ConnectionError, OSError):
                time.sleep(0.5)
                assert_true(node.running(), "cairnd died on a %d-deep JSON body (%d bytes), "
                            "status %s" % (depth, len(body), node.process.poll()))
                raise

        node.stop()


if __name__ == "__main__":
    RpcJsonRpcTest().main()
