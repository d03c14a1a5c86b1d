// HttpServer: HTTP/1.1 on libevent's evhttp, with a bounded pool of worker threads.
//
// One event-loop thread accepts connections, enforces the allowed-address list, the body size
// limit and authentication, and queues each request. Workers run the handler and hand the
// reply back to the event loop. The queue is bounded: when it is full the server answers 503
// at once instead of queueing without bound.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rpc/auth.h"
#include "util/result.h"
#include "util/sync.h"

struct event_base;
struct evhttp;
struct evhttp_request;

namespace cairn::rpc {

struct HttpResponse {
    int status{200};
    std::string body;  // JSON; empty with 204
};

// A subnet in CIDR form, for --rpcallowip.
class Subnet {
public:
    // "1.2.3.4", "1.2.3.0/24", "::1", "fd00::/8"; nullopt if malformed.
    static std::optional<Subnet> Parse(const std::string& text);
    bool Contains(const std::string& address) const;

private:
    int m_family{0};
    std::array<uint8_t, 16> m_addr{};
    int m_prefix{0};
};

class HttpServer {
public:
    struct Options {
        std::vector<std::string> bind_addresses;  // default {"127.0.0.1"}
        uint16_t port{0};
        std::vector<Subnet> allowed;  // loopback is always allowed
        int threads{4};
        int queue_depth{64};
        size_t max_body_bytes{4 << 20};
    };
    using Handler = std::function<HttpResponse(const std::string& body)>;

    HttpServer(Options options, const RpcAuth& auth, Handler handler);
    ~HttpServer();

    // Binds and starts the loop and workers; error text if no address could be bound.
    Result<bool, std::string> Start();
    // Stops accepting, finishes queued work, joins threads.
    void Stop();
    // The addresses actually bound, "host:port".
    const std::vector<std::string>& BoundAddresses() const { return m_bound; }

private:
    struct WorkItem {
        evhttp_request* req;
        std::string body;
    };
    static void OnRequest(evhttp_request* req, void* self);
    void HandleRequest(evhttp_request* req);
    void WorkerLoop();
    void SendReply(evhttp_request* req, const HttpResponse& resp);

    Options m_options;
    const RpcAuth& m_auth;
    Handler m_handler;
    event_base* m_base{nullptr};
    evhttp* m_http{nullptr};
    std::thread m_loop_thread;
    std::vector<std::thread> m_workers;
    std::vector<std::string> m_bound;

    Mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<WorkItem> m_queue GUARDED_BY(m_mutex);
    bool m_stopping GUARDED_BY(m_mutex){false};
};

}  // namespace cairn::rpc
