#include "rpc/http_server.h"

#include <arpa/inet.h>
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>

#include <cstring>
#include <ctime>

#include "util/logging.h"

namespace cairn::rpc {

std::optional<Subnet> Subnet::Parse(const std::string& text) {
    Subnet s;
    std::string addr = text;
    int prefix = -1;
    if (size_t slash = text.find('/'); slash != std::string::npos) {
        addr = text.substr(0, slash);
        std::string p = text.substr(slash + 1);
        if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        prefix = std::stoi(p);
    }
    if (inet_pton(AF_INET, addr.c_str(), s.m_addr.data()) == 1) {
        s.m_family = AF_INET;
        if (prefix > 32) return std::nullopt;
        s.m_prefix = prefix < 0 ? 32 : prefix;
    } else if (inet_pton(AF_INET6, addr.c_str(), s.m_addr.data()) == 1) {
        s.m_family = AF_INET6;
        if (prefix > 128) return std::nullopt;
        s.m_prefix = prefix < 0 ? 128 : prefix;
    } else {
        return std::nullopt;
    }
    return s;
}

bool Subnet::Contains(const std::string& address) const {
    std::array<uint8_t, 16> a{};
    std::string addr = address;
    // An IPv4 client of a dual-stack socket appears as ::ffff:a.b.c.d.
    if (m_family == AF_INET && addr.rfind("::ffff:", 0) == 0 &&
        addr.find('.') != std::string::npos) {
        addr = addr.substr(7);
    }
    if (inet_pton(m_family, addr.c_str(), a.data()) != 1) return false;
    for (int bit = 0; bit < m_prefix; ++bit) {
        int byte = bit / 8, mask = 0x80 >> (bit % 8);
        if ((a[byte] & mask) != (m_addr[byte] & mask)) return false;
    }
    return true;
}

namespace {

// Refusals are logged at most kLogBurst times per kLogWindow seconds, so a client hammering the
// port cannot grow debug.log without bound. Called only from the event-loop thread.
bool RefusalLogAllowed() {
    constexpr int kLogBurst = 20;
    constexpr std::time_t kLogWindow = 60;
    static std::time_t window_start = 0;
    static int logged = 0;
    std::time_t now = std::time(nullptr);
    if (now - window_start >= kLogWindow) {
        if (logged > kLogBurst) {
            LogWarning("RPC: " + std::to_string(logged - kLogBurst) + " more refusals not logged");
        }
        window_start = now;
        logged = 0;
    }
    return ++logged <= kLogBurst;
}

bool IsLoopback(const std::string& peer) {
    return peer == "::1" || peer.rfind("127.", 0) == 0 || peer.rfind("::ffff:127.", 0) == 0;
}

// Carries a finished reply from a worker to the event loop thread.
struct PendingReply {
    evhttp_request* req;
    HttpResponse resp;
    HttpServer* server;
    event* ev;
};

}  // namespace

HttpServer::HttpServer(Options options, const RpcAuth& auth, Handler handler)
    : m_options{std::move(options)}, m_auth{auth}, m_handler{std::move(handler)} {}

HttpServer::~HttpServer() {
    Stop();
}

Result<bool, std::string> HttpServer::Start() {
    static const bool threads_ok = evthread_use_pthreads() == 0;
    if (!threads_ok) return MakeError(std::string{"libevent thread support unavailable"});
    m_base = event_base_new();
    if (!m_base) return MakeError(std::string{"cannot create event base"});
    m_http = evhttp_new(m_base);
    if (!m_http) return MakeError(std::string{"cannot create HTTP server"});
    evhttp_set_allowed_methods(m_http, EVHTTP_REQ_POST | EVHTTP_REQ_GET);
    evhttp_set_max_body_size(m_http, static_cast<ev_ssize_t>(m_options.max_body_bytes));
    evhttp_set_max_headers_size(m_http, 16 * 1024);
    evhttp_set_timeout(m_http, 30);
    evhttp_set_gencb(m_http, &HttpServer::OnRequest, this);
    std::vector<std::string> binds = m_options.bind_addresses;
    if (binds.empty()) binds.push_back("127.0.0.1");
    for (const std::string& addr : binds) {
        if (evhttp_bind_socket(m_http, addr.c_str(), m_options.port) == 0) {
            m_bound.push_back(addr + ":" + std::to_string(m_options.port));
        } else {
            LogWarning("RPC: cannot bind " + addr + ":" + std::to_string(m_options.port));
        }
    }
    if (m_bound.empty()) {
        return MakeError("cannot bind the RPC port " + std::to_string(m_options.port) +
                         " (already in use?)");
    }
    for (int i = 0; i < m_options.threads; ++i) m_workers.emplace_back([this] { WorkerLoop(); });
    m_loop_thread = std::thread([this] { event_base_dispatch(m_base); });
    return true;
}

void HttpServer::Stop() {
    {
        LockGuard lock{m_mutex};
        if (m_stopping) return;
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& w : m_workers) w.join();
    m_workers.clear();
    if (m_base) {
        event_base_loopexit(m_base, nullptr);
        if (m_loop_thread.joinable()) m_loop_thread.join();
    }
    // Requests still queued are dropped with their connections.
    if (m_http) evhttp_free(m_http);
    if (m_base) event_base_free(m_base);
    m_http = nullptr;
    m_base = nullptr;
}

void HttpServer::OnRequest(evhttp_request* req, void* self) {
    static_cast<HttpServer*>(self)->HandleRequest(req);
}

void HttpServer::HandleRequest(evhttp_request* req) {
    auto plain = [req](int status, const char* reason) {
        evhttp_send_reply(req, status, reason, nullptr);
    };
    // Allowed addresses first: anyone else learns nothing, not even whether auth is on.
    evhttp_connection* conn = evhttp_request_get_connection(req);
    char* peer_c = nullptr;
    uint16_t peer_port = 0;
    evhttp_connection_get_peer(conn, &peer_c, &peer_port);
    std::string peer = peer_c ? peer_c : "";
    bool allowed = IsLoopback(peer);
    for (const Subnet& s : m_options.allowed) allowed = allowed || s.Contains(peer);
    if (!allowed) {
        if (RefusalLogAllowed()) {
            LogWarning("RPC: connection from " + peer + " not allowed by rpcallowip");
        }
        return plain(403, "Forbidden");
    }
    evkeyvalq* headers = evhttp_request_get_input_headers(req);
    const char* auth = evhttp_find_header(headers, "Authorization");
    if (!auth || !m_auth.Check(auth)) {
        if (RefusalLogAllowed()) LogWarning("RPC: incorrect or missing credentials from " + peer);
        evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
                          "Basic realm=\"jsonrpc\"");
        return plain(401, "Unauthorized");
    }
    if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
        return plain(405, "Method Not Allowed");
    }
    evbuffer* in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    std::string body(len, '\0');
    if (len) evbuffer_copyout(in, body.data(), len);
    {
        LockGuard lock{m_mutex};
        if (m_stopping) return plain(503, "Shutting down");
        if (static_cast<int>(m_queue.size()) >= m_options.queue_depth) {
            if (RefusalLogAllowed()) LogWarning("RPC: work queue full, answering 503");
            return plain(503, "Work queue depth exceeded");
        }
        m_queue.push_back({req, std::move(body)});
    }
    m_cv.notify_one();
}

void HttpServer::WorkerLoop() {
    for (;;) {
        WorkItem item;
        {
            UniqueLock lock{m_mutex};
            m_cv.wait(lock.Native(),
                      [this]() REQUIRES(m_mutex) { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty()) return;  // stopping and drained
            item = std::move(m_queue.front());
            m_queue.pop_front();
        }
        HttpResponse resp;
        try {
            resp = m_handler(item.body);
        } catch (const std::exception& e) {
            LogError(std::string{"RPC handler failed: "} + e.what());
            resp = {
                500,
                R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"internal error"},"id":null})"};
        }
        SendReply(item.req, resp);
    }
}

void HttpServer::SendReply(evhttp_request* req, const HttpResponse& resp) {
    // evhttp is not thread-safe per request: the reply is sent from the loop thread.
    auto* pending = new PendingReply{req, resp, this, nullptr};
    pending->ev = event_new(
        m_base, -1, 0,
        [](evutil_socket_t, short, void* arg) {
            auto* p = static_cast<PendingReply*>(arg);
            evkeyvalq* out = evhttp_request_get_output_headers(p->req);
            if (p->resp.status == 204) {
                evhttp_send_reply(p->req, 204, "No Content", nullptr);
            } else {
                evhttp_add_header(out, "Content-Type", "application/json");
                evbuffer* buf = evbuffer_new();
                evbuffer_add(buf, p->resp.body.data(), p->resp.body.size());
                evhttp_send_reply(p->req, p->resp.status, p->resp.status == 200 ? "OK" : "Error",
                                  buf);
                evbuffer_free(buf);
            }
            event_free(p->ev);
            delete p;
        },
        pending);
    event_active(pending->ev, 0, 0);
}

}  // namespace cairn::rpc
