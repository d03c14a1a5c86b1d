#include "util/fs.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cairn {

bool WriteFileAtomic(const std::string& path, const std::string& content, unsigned mode,
                     std::string& error) {
    std::string tmp = path + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0) {
        error = "cannot create " + tmp + ": " + std::strerror(errno);
        return false;
    }
    ::fchmod(fd, mode);
    size_t off = 0;
    while (off < content.size()) {
        ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            error = "cannot write " + tmp + ": " + std::strerror(errno);
            ::close(fd);
            return false;
        }
        off += static_cast<size_t>(n);
    }
    const int synced = ::fsync(fd);
    const int closed = ::close(fd);
    if (synced != 0 || closed != 0) {
        error = "cannot write " + tmp + ": " + std::strerror(errno);
        return false;
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        error = "cannot rename " + tmp + ": " + std::strerror(errno);
        return false;
    }
    // Make the rename itself durable: a key or genesis that vanished after a power loss would
    // leave a node that cannot restart as itself.
    std::string dir = std::filesystem::path(path).parent_path().string();
    int dfd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

std::optional<std::string> ReadFile(const std::string& path) {
    std::ifstream in{path, std::ios::binary};
    if (!in) return std::nullopt;
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool FileExists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::exists(path, ec);
}

bool CreateDirectories(const std::string& path, std::string& error) {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) {
        error = "cannot create directory " + path + ": " + ec.message();
        return false;
    }
    return true;
}

DirectoryLock::~DirectoryLock() {
    if (m_fd >= 0) ::close(m_fd);
}

bool DirectoryLock::Acquire(const std::string& dir, std::string& error) {
    std::string path = dir + "/.lock";
    m_fd = ::open(path.c_str(), O_RDWR | O_CREAT, 0600);
    if (m_fd < 0) {
        error = "cannot open lock file " + path + ": " + std::strerror(errno);
        return false;
    }
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        error = "cannot lock data directory " + dir + ": another cairnd is probably using it";
        ::close(m_fd);
        m_fd = -1;
        return false;
    }
    return true;
}

}  // namespace cairn
