// cairn-cli: command-line JSON-RPC client for cairnd, in the manner of bitcoin-cli.
//
//   cairn-cli [options] <method> [args...]
// Arguments are read as JSON where they parse and as strings otherwise; with -named they are
// key=value pairs. The result is printed (strings raw, the rest as indented JSON). Failure
// prints the error and exits 1.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "primitives/network.h"
#include "rpc/client.h"
#include "util/datadir.h"

namespace {

constexpr const char* kUsage = R"(Usage: cairn-cli [options] <method> [params...]

Options:
  -network=<main|test|devnet>  network (default devnet)
  -datadir=<dir>               node data directory, for the RPC cookie (default $HOME/.cairn[/<network>])
  -rpcconnect=<host>           node address (default 127.0.0.1)
  -rpcport=<port>              node RPC port (default: 8645 main, 18645 test, 28645 devnet)
  -rpcuser=<user>              RPC user (instead of the cookie)
  -rpcpassword=<password>      RPC password
  -rpcwait                     wait for the node to accept RPC
  -rpcwaittimeout=<seconds>    give up waiting after this long (default 0: no limit)
  -rpcclienttimeout=<seconds>  reply timeout (default 900)
  -named                       params are name=value pairs
  -help                        this help

Options may start with one or two dashes. Try: cairn-cli help
)";

int Usage(const std::string& err) {
    std::fprintf(stderr, "error: %s\n\n%s", err.c_str(), kUsage);
    return 1;
}

nlohmann::json ParseArg(const std::string& s) {
    nlohmann::json j = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? nlohmann::json(s) : j;
}

}  // namespace

int main(int argc, char* argv[]) {
    using namespace cairn;
    std::map<std::string, std::string> opts;
    int i = 1;
    for (; i < argc; ++i) {
        std::string a = argv[i];
        if (a.size() < 2 || a[0] != '-') break;
        a = a.substr(a[1] == '-' ? 2 : 1);
        size_t eq = a.find('=');
        std::string key = a.substr(0, eq);
        std::string value = eq == std::string::npos ? "1" : a.substr(eq + 1);
        static const char* kKnown[] = {
            "network",     "datadir", "rpcconnect",     "rpcport",          "rpcuser",
            "rpcpassword", "rpcwait", "rpcwaittimeout", "rpcclienttimeout", "named",
            "help",        "h",       "version"};
        bool known = false;
        for (const char* k : kKnown) known = known || key == k;
        if (!known) return Usage("unknown option -" + key);
        opts[key] = value;
    }
    if (opts.count("help") || opts.count("h")) {
        std::fputs(kUsage, stdout);
        return 0;
    }
    if (opts.count("version")) {
        std::printf("cairn-cli %s\n", CAIRN_VERSION);
        return 0;
    }
    if (i >= argc) return Usage("no method given");
    auto net = NetworkFromName(opts.count("network") ? opts["network"] : "devnet");
    if (!net) return Usage("unknown network " + opts["network"]);
    const std::string datadir =
        DataDirFor(opts.count("datadir") ? std::optional(opts["datadir"]) : std::nullopt, *net);
    rpc::ClientOptions co = rpc::DefaultClientOptions(*net, datadir);
    auto number = [&](const char* key, long max, long& out) -> bool {
        if (!opts.count(key)) return true;
        char* end = nullptr;
        out = std::strtol(opts[key].c_str(), &end, 10);
        return *end == '\0' && out >= 0 && out <= max;
    };
    long port = co.port, wait_timeout = 0, client_timeout = 900;
    if (!number("rpcport", 65535, port) || !number("rpcwaittimeout", 1'000'000, wait_timeout) ||
        !number("rpcclienttimeout", 1'000'000, client_timeout)) {
        return Usage("invalid numeric option");
    }
    co.port = static_cast<uint16_t>(port);
    co.timeout_seconds = static_cast<int>(client_timeout);
    if (opts.count("rpcconnect")) co.host = opts["rpcconnect"];
    if (opts.count("rpcuser")) co.user = opts["rpcuser"];
    if (opts.count("rpcpassword")) co.password = opts["rpcpassword"];

    std::string method = argv[i++];
    nlohmann::json params;
    if (opts.count("named")) {
        params = nlohmann::json::object();
        for (; i < argc; ++i) {
            std::string a = argv[i];
            size_t eq = a.find('=');
            if (eq == std::string::npos || eq == 0) return Usage("-named arguments are key=value");
            params[a.substr(0, eq)] = ParseArg(a.substr(eq + 1));
        }
    } else {
        params = nlohmann::json::array();
        for (; i < argc; ++i) params.push_back(ParseArg(argv[i]));
    }

    rpc::Client client{co};
    const bool wait = opts.count("rpcwait") > 0;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(wait_timeout);
    for (;;) {
        auto r = client.Call(method, params);
        if (r) {
            if (r->is_string()) {
                std::printf("%s\n", r->get<std::string>().c_str());
            } else if (!r->is_null()) {
                std::printf("%s\n", r->dump(2).c_str());
            }
            return 0;
        }
        const auto& e = r.error();
        bool retry = wait && (e.kind == rpc::ClientError::Kind::kConnect ||
                              e.kind == rpc::ClientError::Kind::kAuth);
        if (retry && (wait_timeout == 0 || std::chrono::steady_clock::now() < deadline)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
            continue;
        }
        if (e.kind == rpc::ClientError::Kind::kRpc) {
            std::fprintf(stderr, "error code: %d\nerror message:\n%s\n", e.rpc_code,
                         e.message.c_str());
        } else {
            std::fprintf(stderr, "error: %s\n", e.message.c_str());
        }
        return 1;
    }
}
