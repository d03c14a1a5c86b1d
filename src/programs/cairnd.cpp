// cairnd: the Cairn full node.
#include <csignal>
#include <cstdio>
#include <thread>

#include "node/node.h"
#include "rpc/context.h"
#include "rpc/dispatcher.h"
#include "rpc/http_server.h"
#include "rpc/method.h"
#include "util/logging.h"

namespace {

std::atomic<bool> g_shutdown{false};

void HandleSignal(int) {
    g_shutdown.store(true);
}

int Fail(const std::string& msg) {
    std::fprintf(stderr, "Error: %s\n", msg.c_str());
    cairn::LogError(msg);
    return 1;
}

}  // namespace

int main(int argc, char* argv[]) {
    using namespace cairn;
    std::string info;
    auto config = ParseNodeConfig(argc, argv, info);
    if (!config) {
        std::fprintf(stderr, "Error: %s\nRun cairnd --help for the options.\n",
                     config.error().c_str());
        return 1;
    }
    if (!info.empty()) {
        std::fputs(info.c_str(), stdout);
        return 0;
    }
    std::signal(SIGINT, HandleSignal);
    std::signal(SIGTERM, HandleSignal);
    std::signal(SIGHUP, HandleSignal);  // a closed terminal stops the node cleanly too
    std::signal(SIGPIPE, SIG_IGN);

    try {
        Node node{*config};
        if (auto r = node.Init(); !r) return Fail(r.error());

        rpc::RpcAuth auth;
        const std::string cookie = config->datadir + "/.cookie";
        if (auto r = auth.CreateCookie(cookie); !r) return Fail(r.error());
        if (!config->rpcuser.empty()) auth.AddUserPassword(config->rpcuser, config->rpcpassword);
        for (const auto& entry : config->rpcauth) {
            if (auto r = auth.AddRpcAuth(entry); !r) return Fail(r.error());
        }
        rpc::HttpServer::Options hopts;
        hopts.bind_addresses = config->rpcbind;
        hopts.port = config->rpcport;
        hopts.threads = config->rpcthreads;
        hopts.queue_depth = config->rpcworkqueue;
        hopts.max_body_bytes = config->rpc_max_body_bytes;
        for (const auto& s : config->rpcallowip) {
            auto subnet = rpc::Subnet::Parse(s);
            if (!subnet) return Fail("invalid --rpcallowip '" + s + "'");
            hopts.allowed.push_back(*subnet);
        }
        if (!config->rpcbind.empty() && config->rpcallowip.empty()) {
            LogWarning("--rpcbind without --rpcallowip: only loopback clients are allowed");
        }

        rpc::NodeContext ctx;
        ctx.chain = &node.Chain();
        ctx.mempool = &node.Pool();
        ctx.reports = &node.Reports();
        ctx.producer = node.Producer();
        ctx.request_shutdown = [] { g_shutdown.store(true); };
        ctx.start_time_ms = NowMs();
        rpc::MethodTable table;
        rpc::RegisterAllMethods(table, ctx);
        rpc::Dispatcher dispatcher{table};
        rpc::HttpServer server{hopts, auth, [&dispatcher](const std::string& body) {
                                   return dispatcher.HandleBody(body);
                               }};
        if (auto r = server.Start(); !r) {
            std::remove(cookie.c_str());
            return Fail(r.error());
        }
        for (const auto& addr : server.BoundAddresses()) LogInfo("RPC listening on " + addr);

        if (node.Producer()) node.Producer()->SetFatalErrorHandler([] { g_shutdown.store(true); });
        node.StartProducing();
        while (!g_shutdown.load()) std::this_thread::sleep_for(std::chrono::milliseconds(50));

        LogInfo("shutting down");
        node.Stop();
        server.Stop();
        std::remove(cookie.c_str());
        LogInfo("shutdown complete");
        Logger::Instance().Close();
        return 0;
    } catch (const std::exception& e) {
        return Fail(std::string{"fatal: "} + e.what());
    }
}
