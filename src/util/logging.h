// Node logging: timestamped lines to debug.log and, optionally, the console.
// Thread-safe. Before Open() lines go to stderr only.
#pragma once

#include <string>
#include <string_view>

namespace cairn {

class Logger {
public:
    static Logger& Instance();
    // Opens (appends to) path. Returns false with a message if the file cannot be opened.
    bool Open(const std::string& path, bool print_to_console, std::string& error);
    void Close();
    void Write(std::string_view level, std::string_view msg);

private:
    Logger() = default;
};

// The time now as every log line starts: UTC, ISO 8601 with milliseconds
// ("2026-11-29T16:32:14.280Z").
std::string LogTimestamp();

void LogInfo(std::string_view msg);
void LogWarning(std::string_view msg);
void LogError(std::string_view msg);

}  // namespace cairn
