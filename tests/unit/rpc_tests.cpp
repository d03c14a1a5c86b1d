// RPC layer: authentication, the --rpcallowip subnets, parameter binding, JSON-RPC 2.0
// dispatch, and that doc/rpc.md documents every registered method.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "node_test_util.h"
#include "rpc/auth.h"
#include "rpc/context.h"
#include "rpc/dispatcher.h"
#include "rpc/http_server.h"
#include "rpc/method.h"
#include "rpc/protocol.h"

namespace cairn::rpc {
namespace {

using cairn::test::TempDir;

std::string BasicHeader(const std::string& user, const std::string& password) {
    return "Basic " + EncodeBase64(user + ":" + password);
}

// ---------------------------------------------------------------------------------------------
// RpcAuth

TEST(RpcAuth, CookieCreatedPrivateAndAccepted) {
    TempDir dir{"cairn-rpcauth"};
    const std::string path = dir.Sub(".cookie");
    RpcAuth auth;
    auto r = auth.CreateCookie(path);
    ASSERT_TRUE(r.has_value()) << r.error();

    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);

    std::ifstream in{path};
    std::string content;
    std::getline(in, content);
    const std::string prefix = "__cookie__:";
    ASSERT_EQ(content.rfind(prefix, 0), 0u) << content;
    const std::string password = content.substr(prefix.size());
    EXPECT_EQ(password.size(), 64u);

    EXPECT_TRUE(auth.Check("Basic " + EncodeBase64(content)));
    EXPECT_TRUE(auth.Check(BasicHeader("__cookie__", password)));
    EXPECT_FALSE(auth.Check(BasicHeader("__cookie__", password + "x")));
    EXPECT_FALSE(auth.Check(BasicHeader("__cookie__", "")));
    EXPECT_FALSE(auth.Check(BasicHeader("cookie", password)));

    // A new cookie (a restart) gets a new password.
    RpcAuth restarted;
    ASSERT_TRUE(restarted.CreateCookie(path).has_value());
    std::ifstream in2{path};
    std::string content2;
    std::getline(in2, content2);
    EXPECT_NE(content2, content);
    EXPECT_FALSE(restarted.Check("Basic " + EncodeBase64(content)));
    EXPECT_TRUE(restarted.Check("Basic " + EncodeBase64(content2)));
    ::stat(path.c_str(), &st);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(RpcAuth, CookieInMissingDirectoryFails) {
    TempDir dir{"cairn-rpcauth"};
    RpcAuth auth;
    EXPECT_FALSE(auth.CreateCookie(dir.Sub("no/such/dir/.cookie")).has_value());
}

TEST(RpcAuth, UserPassword) {
    RpcAuth auth;
    auth.AddUserPassword("alice", "correct horse");
    auth.AddUserPassword("bob", "pa:ss");
    EXPECT_TRUE(auth.Check(BasicHeader("alice", "correct horse")));
    EXPECT_TRUE(auth.Check(BasicHeader("bob", "pa:ss")));  // a colon in the password is fine
    EXPECT_FALSE(auth.Check(BasicHeader("alice", "wrong")));
    EXPECT_FALSE(auth.Check(BasicHeader("alice", "correct horse ")));
    EXPECT_FALSE(auth.Check(BasicHeader("alice", "")));
    EXPECT_FALSE(auth.Check(BasicHeader("mallory", "correct horse")));
    EXPECT_FALSE(auth.Check(BasicHeader("Alice", "correct horse")));
    EXPECT_FALSE(auth.Check(BasicHeader("", "correct horse")));
    // Each user's own password only.
    EXPECT_FALSE(auth.Check(BasicHeader("alice", "pa:ss")));
    EXPECT_FALSE(auth.Check(BasicHeader("bob", "correct horse")));
}

TEST(RpcAuth, NoCredentialsAcceptsNothing) {
    RpcAuth auth;
    EXPECT_FALSE(auth.Check(BasicHeader("", "")));
    EXPECT_FALSE(auth.Check(BasicHeader("alice", "x")));
}

TEST(RpcAuth, MalformedHeadersRejected) {
    RpcAuth auth;
    auth.AddUserPassword("alice", "secret");
    const std::string good = EncodeBase64("alice:secret");
    ASSERT_TRUE(auth.Check("Basic " + good));
    EXPECT_FALSE(auth.Check(""));
    EXPECT_FALSE(auth.Check(good));              // no scheme
    EXPECT_FALSE(auth.Check("Bearer " + good));  // another scheme
    EXPECT_FALSE(auth.Check("Basic"));           // nothing after it
    EXPECT_FALSE(auth.Check("Basic "));
    EXPECT_FALSE(auth.Check("Basic" + good));             // no space
    EXPECT_FALSE(auth.Check("Basic !!!!"));               // not base64
    EXPECT_FALSE(auth.Check("Basic " + good.substr(1)));  // length not a multiple of 4
    EXPECT_FALSE(auth.Check("Basic " + good + "===="));
    EXPECT_FALSE(auth.Check("Basic " + EncodeBase64("alicesecret")));  // no colon
    EXPECT_FALSE(auth.Check("Basic " + EncodeBase64("alice")));
    EXPECT_FALSE(auth.Check("Basic " + std::string(8000, 'A')));  // absurdly long
}

TEST(RpcAuth, RpcAuthEntryAccepted) {
    const std::string salt = "0123456789abcdef";
    const std::string hash = RpcAuth::HmacSha256Hex(salt, "hunter2");
    ASSERT_EQ(hash.size(), 64u);
    RpcAuth auth;
    auto r = auth.AddRpcAuth("carol:" + salt + "$" + hash);
    ASSERT_TRUE(r.has_value()) << r.error();
    EXPECT_TRUE(auth.Check(BasicHeader("carol", "hunter2")));
    EXPECT_FALSE(auth.Check(BasicHeader("carol", "hunter3")));
    EXPECT_FALSE(auth.Check(BasicHeader("dave", "hunter2")));

    // Upper-case hex is accepted too.
    std::string upper = hash;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    RpcAuth auth2;
    ASSERT_TRUE(auth2.AddRpcAuth("carol:" + salt + "$" + upper).has_value());
    EXPECT_TRUE(auth2.Check(BasicHeader("carol", "hunter2")));
}

TEST(RpcAuth, HmacMatchesKnownVector) {
    // RFC 4231 test case 2.
    EXPECT_EQ(RpcAuth::HmacSha256Hex("Jefe", "what do ya want for nothing?"),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(RpcAuth, MalformedRpcAuthEntriesRejected) {
    const std::string hash = RpcAuth::HmacSha256Hex("salt", "pw");
    const std::vector<std::string> bad{
        "",
        "carol",                               // no colon
        "carolsalt$" + hash,                   // no colon
        ":salt$" + hash,                       // empty user
        "carol:salt" + hash,                   // no dollar
        "carol:$" + hash,                      // empty salt
        "carol:salt$",                         // empty hash
        "carol:salt$" + hash.substr(1),        // 63 digits
        "carol:salt$" + hash + "0",            // 65 digits
        "carol:salt$" + std::string(64, 'g'),  // not hex
        "carol:salt$" + hash.substr(0, 62) + "-1",
    };
    for (const std::string& entry : bad) {
        RpcAuth auth;
        auto r = auth.AddRpcAuth(entry);
        EXPECT_FALSE(r.has_value()) << "accepted '" << entry << "'";
        if (!r.has_value()) {
            EXPECT_NE(r.error().find("rpcauth"), std::string::npos) << r.error();
        }
        // Nothing was added.
        EXPECT_FALSE(auth.Check(BasicHeader("carol", "pw")));
    }
}

// ---------------------------------------------------------------------------------------------
// Subnet

TEST(RpcSubnet, SingleIPv4Address) {
    auto s = Subnet::Parse("192.168.1.10");
    ASSERT_TRUE(s.has_value());
    EXPECT_TRUE(s->Contains("192.168.1.10"));
    EXPECT_FALSE(s->Contains("192.168.1.11"));
    EXPECT_FALSE(s->Contains("10.168.1.10"));
    EXPECT_FALSE(s->Contains("::1"));
    EXPECT_FALSE(s->Contains(""));
    EXPECT_FALSE(s->Contains("not an address"));
}

TEST(RpcSubnet, IPv4Cidr) {
    auto s = Subnet::Parse("10.1.2.0/24");
    ASSERT_TRUE(s.has_value());
    EXPECT_TRUE(s->Contains("10.1.2.0"));
    EXPECT_TRUE(s->Contains("10.1.2.255"));
    EXPECT_FALSE(s->Contains("10.1.3.0"));
    EXPECT_FALSE(s->Contains("10.1.1.255"));

    auto odd = Subnet::Parse("172.16.0.0/12");
    ASSERT_TRUE(odd.has_value());
    EXPECT_TRUE(odd->Contains("172.16.0.1"));
    EXPECT_TRUE(odd->Contains("172.31.255.255"));
    EXPECT_FALSE(odd->Contains("172.32.0.0"));
    EXPECT_FALSE(odd->Contains("172.15.255.255"));

    // Host bits in the network address do not matter.
    auto host_bits = Subnet::Parse("10.1.2.77/24");
    ASSERT_TRUE(host_bits.has_value());
    EXPECT_TRUE(host_bits->Contains("10.1.2.1"));

    auto all = Subnet::Parse("0.0.0.0/0");
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(all->Contains("1.2.3.4"));
    EXPECT_TRUE(all->Contains("255.255.255.255"));
    EXPECT_FALSE(all->Contains("::1"));  // another family

    auto host = Subnet::Parse("10.1.2.3/32");
    ASSERT_TRUE(host.has_value());
    EXPECT_TRUE(host->Contains("10.1.2.3"));
    EXPECT_FALSE(host->Contains("10.1.2.2"));
}

TEST(RpcSubnet, IPv4MappedClientOfDualStackSocket) {
    auto s = Subnet::Parse("10.1.2.0/24");
    ASSERT_TRUE(s.has_value());
    EXPECT_TRUE(s->Contains("::ffff:10.1.2.7"));
    EXPECT_FALSE(s->Contains("::ffff:10.1.3.7"));
    EXPECT_FALSE(s->Contains("::ffff:0a01:0207"));  // hex form is not an IPv4 literal
}

TEST(RpcSubnet, IPv6) {
    auto one = Subnet::Parse("::1");
    ASSERT_TRUE(one.has_value());
    EXPECT_TRUE(one->Contains("::1"));
    EXPECT_TRUE(one->Contains("0:0:0:0:0:0:0:1"));
    EXPECT_FALSE(one->Contains("::2"));
    EXPECT_FALSE(one->Contains("127.0.0.1"));

    auto ula = Subnet::Parse("fd00::/8");
    ASSERT_TRUE(ula.has_value());
    EXPECT_TRUE(ula->Contains("fd12:3456::1"));
    EXPECT_TRUE(ula->Contains("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    EXPECT_FALSE(ula->Contains("fe80::1"));
    EXPECT_FALSE(ula->Contains("fc00::1"));
    EXPECT_FALSE(ula->Contains("10.0.0.1"));

    auto p64 = Subnet::Parse("2001:db8:1:2::/64");
    ASSERT_TRUE(p64.has_value());
    EXPECT_TRUE(p64->Contains("2001:db8:1:2:ffff::1"));
    EXPECT_FALSE(p64->Contains("2001:db8:1:3::1"));

    auto all = Subnet::Parse("::/0");
    ASSERT_TRUE(all.has_value());
    EXPECT_TRUE(all->Contains("2001:db8::1"));
    EXPECT_FALSE(all->Contains("1.2.3.4"));

    ASSERT_TRUE(Subnet::Parse("2001:db8::1/128").has_value());
}

TEST(RpcSubnet, MalformedRejected) {
    for (const std::string text : {"",
                                   "localhost",
                                   "1.2.3",
                                   "1.2.3.4.5",
                                   "1.2.3.256",
                                   "1.2.3.4/",
                                   "1.2.3.4/33",
                                   "1.2.3.4/-1",
                                   "1.2.3.4/+8",
                                   "1.2.3.4/abc",
                                   "1.2.3.4/8/8",
                                   "1.2.3.4/ 8",
                                   "1.2.3.4/1000",
                                   "/24",
                                   " 1.2.3.4",
                                   "1.2.3.4 ",
                                   "::1/129",
                                   "fd00::/",
                                   "fd00:::/8",
                                   "gggg::1",
                                   "1.2.3.4/8x"}) {
        EXPECT_FALSE(Subnet::Parse(text).has_value()) << "parsed '" << text << "'";
    }
}

// ---------------------------------------------------------------------------------------------
// MethodTable::BindParams

// Expects `f` to throw RpcError kInvalidParams whose message contains `needle`.
template <typename F>
void ExpectInvalidParams(F&& f, const std::string& needle) {
    try {
        f();
        ADD_FAILURE() << "no error, expected one mentioning '" << needle << "'";
    } catch (const RpcError& e) {
        EXPECT_EQ(e.code, kInvalidParams) << e.what();
        EXPECT_NE(std::string{e.what()}.find(needle), std::string::npos) << e.what();
    }
}

const std::string kHashHex(64, 'a');

Method TestMethod() {
    return Method{"test",
                  "testing",
                  "A method for tests.",
                  {{"name", ParamType::kString, true, {}, "a string"},
                   {"count", ParamType::kUInt, false, 7, "a number"},
                   {"flag", ParamType::kBool, false, false, "a flag"},
                   {"extra", ParamType::kString, false, {}, "no default"}},
                  "result",
                  {},
                  [](const Args&) -> json { return nullptr; }};
}

class RpcBindParamsTest : public ::testing::Test {
protected:
    RpcBindParamsTest() { table.Add(TestMethod()); }
    Args Bind(const std::string& params_json) const {
        return table.BindParams(*table.Find("test"), json::parse(params_json));
    }
    MethodTable table;
};

TEST_F(RpcBindParamsTest, Positional) {
    Args a = Bind(R"(["x", 3, true, "y"])");
    EXPECT_EQ(a.String("name"), "x");
    EXPECT_EQ(a.UInt("count"), 3u);
    EXPECT_TRUE(a.Bool("flag"));
    EXPECT_EQ(a.String("extra"), "y");
}

TEST_F(RpcBindParamsTest, Named) {
    Args a = Bind(R"({"flag": true, "name": "x"})");
    EXPECT_EQ(a.String("name"), "x");
    EXPECT_TRUE(a.Bool("flag"));
    EXPECT_EQ(a.UInt("count"), 7u);
    EXPECT_FALSE(a.Has("extra"));
}

TEST_F(RpcBindParamsTest, DefaultsAndNullAsAbsent) {
    Args a = Bind(R"(["x"])");
    EXPECT_TRUE(a.Has("count"));
    EXPECT_EQ(a.UInt("count"), 7u);
    EXPECT_FALSE(a.Bool("flag"));
    EXPECT_FALSE(a.Has("extra"));  // optional without a default

    // A null skips a positional parameter.
    Args b = Bind(R"(["x", null, true])");
    EXPECT_EQ(b.UInt("count"), 7u);
    EXPECT_TRUE(b.Bool("flag"));
    Args c = Bind(R"({"name": "x", "count": null, "extra": null})");
    EXPECT_EQ(c.UInt("count"), 7u);
    EXPECT_FALSE(c.Has("extra"));

    // No params at all, or an empty list, for a method without required parameters.
    MethodTable t;
    t.Add({"noargs",
           "testing",
           "",
           {{"opt", ParamType::kUInt, false, 1, ""}},
           "",
           {},
           [](const Args&) -> json { return nullptr; }});
    EXPECT_EQ(t.BindParams(*t.Find("noargs"), json{}).UInt("opt"), 1u);
    EXPECT_EQ(t.BindParams(*t.Find("noargs"), json::array()).UInt("opt"), 1u);
    EXPECT_EQ(t.BindParams(*t.Find("noargs"), json::object()).UInt("opt"), 1u);
}

TEST_F(RpcBindParamsTest, ArgumentErrors) {
    ExpectInvalidParams([&] { Bind(R"(["x", 1, true, "y", "z"])"); }, "at most 4");
    ExpectInvalidParams([&] { Bind(R"({"name": "x", "colour": 1})"); },
                        "unknown parameter 'colour'");
    ExpectInvalidParams([&] { Bind(R"([])"); }, "missing parameter 'name'");
    ExpectInvalidParams([&] { Bind(R"(null)"); }, "missing parameter 'name'");
    ExpectInvalidParams([&] { Bind(R"([null, 1])"); }, "missing parameter 'name'");
    ExpectInvalidParams([&] { Bind(R"({"count": 1})"); }, "missing parameter 'name'");
    ExpectInvalidParams([&] { Bind(R"("x")"); }, "array or an object");
    ExpectInvalidParams([&] { Bind(R"(5)"); }, "array or an object");
}

TEST_F(RpcBindParamsTest, WrongTypes) {
    ExpectInvalidParams([&] { Bind(R"([5])"); }, "'name' must be of type string");
    ExpectInvalidParams([&] { Bind(R"([["x"]])"); }, "'name' must be of type string");
    ExpectInvalidParams([&] { Bind(R"(["x", -1])"); }, "'count' must be of type non-negative integer");
    ExpectInvalidParams([&] { Bind(R"(["x", 1.5])"); }, "'count'");
    ExpectInvalidParams([&] { Bind(R"(["x", "3"])"); }, "'count'");
    ExpectInvalidParams([&] { Bind(R"(["x", true])"); }, "'count'");
    ExpectInvalidParams([&] { Bind(R"(["x", 1, 1])"); }, "'flag' must be of type boolean");
    ExpectInvalidParams([&] { Bind(R"(["x", 1, "true"])"); }, "'flag'");
    // The largest uint64 is fine.
    EXPECT_EQ(Bind(R"(["x", 18446744073709551615])").UInt("count"), UINT64_MAX);
}

TEST(RpcBindParams, EveryParamType) {
    MethodTable t;
    t.Add({"typed",
           "testing",
           "",
           {{"hash", ParamType::kHash, false, {}, ""},
            {"hex", ParamType::kHex, false, {}, ""},
            {"address", ParamType::kAddress, false, {}, ""},
            {"block", ParamType::kHashOrHeight, false, {}, ""}},
           "",
           {},
           [](const Args&) -> json { return nullptr; }});
    const Method& m = *t.Find("typed");
    auto bind = [&](const std::string& name, const std::string& value) {
        return t.BindParams(m, json::parse("{\"" + name + "\": " + value + "}"));
    };
    const std::string hash = "\"" + kHashHex + "\"";
    const std::string upper_hash = "\"" + std::string(64, 'A') + "\"";

    EXPECT_TRUE(bind("hash", hash).Has("hash"));
    EXPECT_TRUE(bind("hash", upper_hash).Has("hash"));
    for (const std::string& bad : std::vector<std::string>{
             "\"abc\"", "\"" + std::string(63, 'a') + "\"", "\"" + std::string(66, 'a') + "\"",
             "\"" + std::string(64, 'g') + "\"", "5", "true", "[]"}) {
        ExpectInvalidParams([&] { bind("hash", bad); }, "'hash' must be of type hash");
    }

    EXPECT_TRUE(bind("hex", "\"00ff\"").Has("hex"));
    EXPECT_TRUE(bind("hex", "\"\"").Has("hex"));
    for (const std::string bad : {"\"abc\"", "\"zz\"", "\"0x00\"", "12", "{}"}) {
        ExpectInvalidParams([&] { bind("hex", bad); }, "'hex' must be of type hex string");
    }

    EXPECT_TRUE(bind("address", "\"dcairn1whatever\"").Has("address"));
    ExpectInvalidParams([&] { bind("address", "5"); }, "'address' must be of type");
    ExpectInvalidParams([&] { bind("address", "false"); }, "'address'");

    EXPECT_EQ(bind("block", "12").UInt("block"), 12u);
    EXPECT_EQ(bind("block", hash).String("block"), kHashHex);
    for (const std::string bad : {"-1", "1.5", "\"12\"", "\"abc\"", "true", "[1]"}) {
        ExpectInvalidParams([&] { bind("block", bad); }, "'block' must be of type block hash or height");
    }
}

// ---------------------------------------------------------------------------------------------
// Dispatcher

class RpcDispatcherTest : public ::testing::Test {
protected:
    RpcDispatcherTest() {
        table.Add({"echo",
                   "testing",
                   "",
                   {{"value", ParamType::kString, false, "default", ""}},
                   "",
                   {},
                   [this](const Args& a) -> json {
                       ++calls;
                       return a.String("value");
                   }});
        table.Add({"fail_rpc", "testing", "", {}, "", {}, [](const Args&) -> json {
                       throw RpcError(kNotFound, "no such thing");
                   }});
        table.Add({"fail_std", "testing", "", {}, "", {}, [](const Args&) -> json {
                       throw std::runtime_error("disk on fire");
                   }});
        table.Add({"fail_json",
                   "testing",
                   "",
                   {{"value", ParamType::kString, true, {}, ""}},
                   "",
                   {},
                   [](const Args& a) -> json { return a.UInt("value"); }});
    }

    // Handles `body`, expects HTTP 200 and returns the parsed reply.
    json Call(const std::string& body) const {
        HttpResponse resp = dispatcher.HandleBody(body);
        EXPECT_EQ(resp.status, 200) << body;
        json j = json::parse(resp.body, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << resp.body;
        return j;
    }
    static void ExpectError(const json& reply, int code, const json& id) {
        ASSERT_TRUE(reply.is_object()) << reply.dump();
        EXPECT_EQ(reply.value("jsonrpc", ""), "2.0") << reply.dump();
        ASSERT_TRUE(reply.contains("error")) << reply.dump();
        EXPECT_FALSE(reply.contains("result")) << reply.dump();
        EXPECT_EQ(reply["error"]["code"], code) << reply.dump();
        EXPECT_TRUE(reply["error"]["message"].is_string()) << reply.dump();
        EXPECT_EQ(reply["id"], id) << reply.dump();
    }

    MethodTable table;
    Dispatcher dispatcher{table, 5};
    int calls{0};
};

TEST_F(RpcDispatcherTest, SingleRequest) {
    json r = Call(R"({"jsonrpc": "2.0", "method": "echo", "params": ["hi"], "id": 1})");
    EXPECT_EQ(r, json::parse(R"({"jsonrpc": "2.0", "result": "hi", "id": 1})"));
    // Named params, string id, no "jsonrpc" member (1.0-style clients such as bitcoin-cli).
    r = Call(R"({"method": "echo", "params": {"value": "named"}, "id": "abc"})");
    EXPECT_EQ(r["result"], "named");
    EXPECT_EQ(r["id"], "abc");
    // No params: the default.
    r = Call(R"({"method": "echo", "id": null})");
    EXPECT_EQ(r["result"], "default");
    EXPECT_TRUE(r["id"].is_null());
    EXPECT_EQ(calls, 3);
}

TEST_F(RpcDispatcherTest, ParseError) {
    for (const std::string body : {"", "{", "not json", R"({"method": "echo",})", "[1,]"}) {
        ExpectError(Call(body), kParseError, nullptr);
    }
    EXPECT_EQ(calls, 0);
}

TEST_F(RpcDispatcherTest, InvalidRequest) {
    ExpectError(Call("5"), kInvalidRequest, nullptr);
    ExpectError(Call(R"("echo")"), kInvalidRequest, nullptr);
    ExpectError(Call("null"), kInvalidRequest, nullptr);
    ExpectError(Call(R"({"id": 1})"), kInvalidRequest, 1);
    ExpectError(Call(R"({"method": 5, "id": 1})"), kInvalidRequest, 1);
    ExpectError(Call(R"({"method": null, "id": 1})"), kInvalidRequest, 1);
    ExpectError(Call(R"({"method": "echo", "id": {"a": 1}})"), kInvalidRequest, nullptr);
    ExpectError(Call(R"({"method": "echo", "id": [1]})"), kInvalidRequest, nullptr);
    ExpectError(Call(R"({"method": "echo", "id": true})"), kInvalidRequest, nullptr);
    ExpectError(Call(R"({"jsonrpc": "1.0", "method": "echo", "id": 2})"), kInvalidRequest, 2);
    ExpectError(Call(R"({"method": "echo", "params": "hi", "id": 3})"), kInvalidRequest, 3);
    EXPECT_EQ(calls, 0);
}

TEST_F(RpcDispatcherTest, MethodNotFound) {
    json r = Call(R"({"method": "nosuchmethod", "id": 7})");
    ExpectError(r, kMethodNotFound, 7);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("nosuchmethod"), std::string::npos);
}

TEST_F(RpcDispatcherTest, InvalidParams) {
    ExpectError(Call(R"({"method": "echo", "params": [5], "id": 1})"), kInvalidParams, 1);
    ExpectError(Call(R"({"method": "echo", "params": ["a", "b"], "id": 1})"), kInvalidParams, 1);
    ExpectError(Call(R"({"method": "fail_json", "params": [], "id": 1})"), kInvalidParams, 1);
    // A handler that reads a value with the wrong JSON type: the caller's input.
    ExpectError(Call(R"({"method": "fail_json", "params": ["x"], "id": 1})"), kInvalidParams, 1);
    EXPECT_EQ(calls, 0);
}

TEST_F(RpcDispatcherTest, HandlerErrors) {
    json r = Call(R"({"method": "fail_rpc", "id": 1})");
    ExpectError(r, kNotFound, 1);
    EXPECT_EQ(r["error"]["message"], "no such thing");
    r = Call(R"({"method": "fail_std", "id": "x"})");
    ExpectError(r, kInternalError, "x");
    EXPECT_NE(r["error"]["message"].get<std::string>().find("disk on fire"), std::string::npos);
}

TEST_F(RpcDispatcherTest, Notifications) {
    HttpResponse resp = dispatcher.HandleBody(R"({"method": "echo", "params": ["x"]})");
    EXPECT_EQ(resp.status, 204);
    EXPECT_TRUE(resp.body.empty());
    EXPECT_EQ(calls, 1);  // it ran
    // Failing notifications get no reply either.
    EXPECT_EQ(dispatcher.HandleBody(R"({"method": "fail_std"})").status, 204);
    EXPECT_EQ(dispatcher.HandleBody(R"({"method": "nosuchmethod"})").status, 204);
    EXPECT_EQ(dispatcher.HandleBody(R"({"method": "echo", "params": [5]})").status, 204);
}

TEST_F(RpcDispatcherTest, MixedBatch) {
    json r = Call(R"([
        {"method": "echo", "params": ["a"], "id": 1},
        {"method": "echo", "params": ["b"]},
        {"method": "nosuchmethod", "id": 2},
        5,
        {"method": "fail_rpc", "id": "three"}
    ])");
    ASSERT_TRUE(r.is_array()) << r.dump();
    ASSERT_EQ(r.size(), 4u) << r.dump();
    EXPECT_EQ(r[0]["result"], "a");
    EXPECT_EQ(r[0]["id"], 1);
    ExpectError(r[1], kMethodNotFound, 2);
    ExpectError(r[2], kInvalidRequest, nullptr);
    ExpectError(r[3], kNotFound, "three");
    EXPECT_EQ(calls, 2);
}

TEST_F(RpcDispatcherTest, BatchOfNotificationsIs204) {
    HttpResponse resp = dispatcher.HandleBody(
        R"([{"method": "echo", "params": ["a"]}, {"method": "echo", "params": ["b"]}])");
    EXPECT_EQ(resp.status, 204);
    EXPECT_TRUE(resp.body.empty());
    EXPECT_EQ(calls, 2);
}

TEST_F(RpcDispatcherTest, BatchErrors) {
    ExpectError(Call("[]"), kInvalidRequest, nullptr);
    // The dispatcher was built with a batch limit of 5.
    std::string six = "[";
    for (int i = 0; i < 6; ++i) six += std::string{i ? "," : ""} + R"({"method": "echo", "id": 1})";
    six += "]";
    ExpectError(Call(six), kInvalidRequest, nullptr);
    EXPECT_EQ(calls, 0);
    // A batch whose elements are all invalid gets one error each.
    json r = Call("[1, 2]");
    ASSERT_TRUE(r.is_array());
    ASSERT_EQ(r.size(), 2u);
    ExpectError(r[0], kInvalidRequest, nullptr);
    ExpectError(r[1], kInvalidRequest, nullptr);
}

TEST(RpcErrorReply, Shape) {
    EXPECT_EQ(ErrorReply(-5, "gone", 3),
              json::parse(R"({"jsonrpc": "2.0", "error": {"code": -5, "message": "gone"},
                              "id": 3})"));
}

// ---------------------------------------------------------------------------------------------
// doc/rpc.md documents every method.

// The source tree's doc/rpc.md: from CAIRN_SOURCE_DIR if the build defines it, else found by
// walking up from the working directory and from the test binary's directory (ctest runs the
// tests from inside the build tree).
std::filesystem::path FindRpcDoc() {
    namespace fs = std::filesystem;
    std::vector<fs::path> starts;
#ifdef CAIRN_SOURCE_DIR
    starts.push_back(fs::path{CAIRN_SOURCE_DIR});
#endif
    std::error_code ec;
    starts.push_back(fs::current_path(ec));
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) starts.push_back(exe.parent_path());
    for (fs::path dir : starts) {
        for (int up = 0; up < 6 && !dir.empty(); ++up) {
            // The source root: it has doc/rpc.md next to rpc/method.h.
            if (fs::exists(dir / "doc" / "rpc.md", ec) &&
                fs::exists(dir / "rpc" / "method.h", ec)) {
                return dir / "doc" / "rpc.md";
            }
            if (!dir.has_parent_path() || dir.parent_path() == dir) break;
            dir = dir.parent_path();
        }
    }
    return {};
}

// The text of each "### name" heading (backticks and trailing text after a space dropped).
std::set<std::string> DocumentedMethods(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in{text};
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("### ", 0) != 0) continue;
        std::string name = line.substr(4);
        name.erase(0, name.find_first_not_of(" `"));
        name = name.substr(0, name.find_first_of(" `\r"));
        if (!name.empty()) out.insert(name);
    }
    return out;
}

TEST(RpcDoc, EveryMethodHasAHeadingInDocRpcMd) {
    NodeContext ctx;  // null pointers: the handlers are never invoked here
    MethodTable table;
    RegisterAllMethods(table, ctx);
    ASSERT_GE(table.All().size(), 10u);

    const std::filesystem::path doc = FindRpcDoc();
    ASSERT_FALSE(doc.empty()) << "doc/rpc.md not found (looked from CAIRN_SOURCE_DIR, the "
                                 "working directory and the test binary upwards)";
    std::ifstream in{doc};
    ASSERT_TRUE(in.good()) << "cannot read " << doc;
    std::stringstream ss;
    ss << in.rdbuf();
    const std::set<std::string> documented = DocumentedMethods(ss.str());
    for (const auto& [name, method] : table.All()) {
        EXPECT_TRUE(documented.count(name))
            << "method '" << name << "' has no '### " << name << "' heading in " << doc;
    }
}

TEST(RpcDoc, RegisteredMethodsAreWellFormed) {
    NodeContext ctx;
    MethodTable table;
    RegisterAllMethods(table, ctx);
    for (const char* name :
         {"getblockchaininfo", "getblockcount", "getbestblockhash", "getblockhash", "getblock",
          "getblockheader", "getaccount", "gettransaction", "decoderawtransaction",
          "sendrawtransaction", "getrawmempool", "help", "uptime", "stop", "generate"}) {
        EXPECT_NE(table.Find(name), nullptr) << name;
    }
    for (const auto& [name, m] : table.All()) {
        EXPECT_EQ(m.name, name);
        EXPECT_FALSE(m.category.empty()) << name;
        EXPECT_FALSE(m.description.empty()) << name;
        EXPECT_TRUE(static_cast<bool>(m.handler)) << name;
        // Required parameters come first, so positional calls can omit the optional tail.
        bool optional_seen = false;
        std::set<std::string> names;
        for (const Param& p : m.params) {
            EXPECT_TRUE(names.insert(p.name).second) << name << ": duplicate " << p.name;
            if (!p.required) optional_seen = true;
            EXPECT_FALSE(p.required && optional_seen)
                << name << ": required " << p.name << " after an optional parameter";
        }
        // help for each method renders.
        EXPECT_NE(table.Help(name).find(name), std::string::npos);
    }
    EXPECT_NE(table.Help(std::nullopt).find("getblock"), std::string::npos);
}

TEST(RpcDoc, HelpThroughTheDispatcher) {
    NodeContext ctx;
    MethodTable table;
    RegisterAllMethods(table, ctx);
    Dispatcher d{table};
    HttpResponse resp = d.HandleBody(R"({"method": "help", "params": ["getblock"], "id": 1})");
    ASSERT_EQ(resp.status, 200);
    json r = json::parse(resp.body);
    ASSERT_TRUE(r["result"].is_string()) << resp.body;
    EXPECT_NE(r["result"].get<std::string>().find("verbosity"), std::string::npos);
    resp = d.HandleBody(R"({"method": "help", "params": ["nosuch"], "id": 1})");
    EXPECT_EQ(json::parse(resp.body)["error"]["code"], kInvalidParams);
}

}  // namespace
}  // namespace cairn::rpc
