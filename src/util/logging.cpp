#include "util/logging.h"

#include "util/sync.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace cairn {
namespace {
Mutex g_mutex;
FILE* g_file GUARDED_BY(g_mutex) = nullptr;
bool g_console GUARDED_BY(g_mutex) = true;
}  // namespace

Logger& Logger::Instance() {
    static Logger logger;
    return logger;
}

bool Logger::Open(const std::string& path, bool print_to_console, std::string& error) {
    LockGuard lock{g_mutex};
    FILE* f = std::fopen(path.c_str(), "a");
    if (f == nullptr) {
        error = "cannot open log file " + path;
        return false;
    }
    if (g_file) std::fclose(g_file);
    g_file = f;
    g_console = print_to_console;
    return true;
}

void Logger::Close() {
    LockGuard lock{g_mutex};
    if (g_file) std::fclose(g_file);
    g_file = nullptr;
    g_console = true;
}

std::string LogTimestamp() {
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t t = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char stamp[64];
    std::snprintf(stamp, sizeof(stamp), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms));
    return stamp;
}

void Logger::Write(std::string_view level, std::string_view msg) {
    const std::string ts = LogTimestamp();
    const char* stamp = ts.c_str();
    LockGuard lock{g_mutex};
    if (g_file) {
        std::fprintf(g_file, "%s %.*s %.*s\n", stamp, static_cast<int>(level.size()), level.data(),
                     static_cast<int>(msg.size()), msg.data());
        std::fflush(g_file);
    }
    if (g_console || !g_file) {
        std::fprintf(stderr, "%s %.*s %.*s\n", stamp, static_cast<int>(level.size()), level.data(),
                     static_cast<int>(msg.size()), msg.data());
    }
}

void LogInfo(std::string_view msg) {
    Logger::Instance().Write("[info]", msg);
}
void LogWarning(std::string_view msg) {
    Logger::Instance().Write("[warn]", msg);
}
void LogError(std::string_view msg) {
    Logger::Instance().Write("[error]", msg);
}

}  // namespace cairn
