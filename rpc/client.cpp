#include "rpc/client.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>
#include <sstream>

#include "util/fs.h"
#include "util/strencodings.h"

namespace cairn::rpc {
namespace {

Unexpected<ClientError> Fail(ClientError::Kind k, std::string msg, int code = 0) {
    return Unexpected<ClientError>{ClientError{k, std::move(msg), code}};
}

}  // namespace

ClientOptions DefaultClientOptions(Network net, const std::string& datadir) {
    ClientOptions o;
    o.port = GetNetworkInfo(net).default_rpc_port;
    o.cookie_file = datadir + "/.cookie";
    return o;
}

Result<std::string, ClientError> Client::AuthHeader() const {
    std::string cred;
    if (!m_options.user.empty()) {
        cred = m_options.user + ":" + m_options.password;
    } else {
        auto cookie = ReadFile(m_options.cookie_file);
        if (!cookie) {
            return Fail(ClientError::Kind::kAuth,
                        "cannot read the RPC cookie " + m_options.cookie_file +
                            " (is cairnd running with this --datadir? or pass --rpcuser and "
                            "--rpcpassword)");
        }
        cred = *cookie;
        while (!cred.empty() && (cred.back() == '\n' || cred.back() == '\r')) cred.pop_back();
    }
    return "Basic " + EncodeBase64(cred);
}

Result<std::pair<int, std::string>, ClientError> Client::Post(const std::string& body) {
    auto auth = AuthHeader();
    if (!auth) return MakeError(auth.error());
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    std::string port = std::to_string(m_options.port);
    if (getaddrinfo(m_options.host.c_str(), port.c_str(), &hints, &res) != 0) {
        return Fail(ClientError::Kind::kConnect, "cannot resolve " + m_options.host);
    }
    int fd = -1;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        timeval tv{m_options.timeout_seconds, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        ::close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        return Fail(ClientError::Kind::kConnect, "could not connect to the server " +
                                                     m_options.host + ":" + port +
                                                     " (is cairnd running?)");
    }
    std::ostringstream req;
    req << "POST / HTTP/1.1\r\nHost: " << m_options.host << "\r\nConnection: close\r\n"
        << "Content-Type: application/json\r\nAuthorization: " << *auth
        << "\r\nContent-Length: " << body.size() << "\r\n\r\n"
        << body;
    std::string out = req.str();
    size_t sent = 0;
    while (sent < out.size()) {
        ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            ::close(fd);
            return Fail(ClientError::Kind::kConnect, "connection lost while sending");
        }
        sent += static_cast<size_t>(n);
    }
    std::string resp;
    char buf[16384];
    for (;;) {
        ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
        if (n < 0) {
            ::close(fd);
            return Fail(ClientError::Kind::kConnect, "timeout or error reading the reply");
        }
        if (n == 0) break;
        resp.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    size_t header_end = resp.find("\r\n\r\n");
    if (resp.compare(0, 9, "HTTP/1.1 ") != 0 || header_end == std::string::npos) {
        return Fail(ClientError::Kind::kProtocol, "malformed HTTP reply");
    }
    int status = std::atoi(resp.c_str() + 9);
    std::string headers = resp.substr(0, header_end);
    std::string payload = resp.substr(header_end + 4);
    // Chunked replies are decoded here; cairnd sends Content-Length, but be lenient.
    if (headers.find("Transfer-Encoding: chunked") != std::string::npos) {
        std::string decoded;
        size_t pos = 0;
        while (pos < payload.size()) {
            size_t eol = payload.find("\r\n", pos);
            if (eol == std::string::npos) break;
            size_t len = std::strtoul(payload.substr(pos, eol - pos).c_str(), nullptr, 16);
            if (len == 0) break;
            decoded += payload.substr(eol + 2, len);
            pos = eol + 2 + len + 2;
        }
        payload = decoded;
    }
    return std::make_pair(status, payload);
}

Result<nlohmann::json, ClientError> Client::Call(const std::string& method,
                                                 const nlohmann::json& params) {
    nlohmann::json req = {{"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", params}};
    auto r = Post(req.dump());
    if (!r) return MakeError(r.error());
    auto [status, body] = *r;
    if (status == 401) return Fail(ClientError::Kind::kAuth, "incorrect rpcuser or rpcpassword");
    if (status == 403) return Fail(ClientError::Kind::kAuth, "forbidden by rpcallowip");
    if (status == 503) return Fail(ClientError::Kind::kHttp, "server busy (work queue full)");
    nlohmann::json reply = nlohmann::json::parse(body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        return Fail(ClientError::Kind::kHttp,
                    "HTTP status " + std::to_string(status) + " without a JSON-RPC reply");
    }
    if (reply.contains("error") && !reply["error"].is_null()) {
        const auto& e = reply["error"];
        int code = e.value("code", 0);
        return Fail(ClientError::Kind::kRpc, e.value("message", std::string{"unknown error"}),
                    code);
    }
    if (!reply.contains("result")) return Fail(ClientError::Kind::kProtocol, "reply has no result");
    return reply["result"];
}

}  // namespace cairn::rpc
