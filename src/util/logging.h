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

void LogInfo(std::string_view msg);
void LogWarning(std::string_view msg);
void LogError(std::string_view msg);

}  // namespace cairn
