// Small file-system helpers for the node and the wallet.
#pragma once

#include <optional>
#include <string>

namespace cairn {

// Writes content to path with the given mode, atomically (temporary file + fsync + rename).
bool WriteFileAtomic(const std::string& path, const std::string& content, unsigned mode,
                     std::string& error);
// WriteFileAtomic with mode 0600, for keys and credentials.
inline bool WriteSecretFile(const std::string& path, const std::string& content,
                            std::string& error) {
    return WriteFileAtomic(path, content, 0600, error);
}
// Reads a whole file; nullopt if it cannot be read.
std::optional<std::string> ReadFile(const std::string& path);
bool FileExists(const std::string& path);
bool CreateDirectories(const std::string& path, std::string& error);

// An exclusive advisory lock (flock) on a file in a data directory, held until destruction,
// so that two processes never open the same data directory.
class DirectoryLock {
public:
    DirectoryLock() = default;
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;
    ~DirectoryLock();
    // False with a message if another process holds the lock or the file cannot be created.
    bool Acquire(const std::string& dir, std::string& error);

private:
    int m_fd{-1};
};

}  // namespace cairn
