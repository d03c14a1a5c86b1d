// Mutexes that Clang's thread-safety analysis can check (-Wthread-safety).
//
// std::mutex carries no annotations, so a member marked GUARDED_BY(m_mutex) could be read
// without the lock and no compiler would notice. Mutex, LockGuard and UniqueLock wrap the
// standard types with the capability attributes; under GCC the macros expand to nothing.
// contrib/test.sh builds the node with clang -Wthread-safety -Werror=thread-safety.
#pragma once

#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define CAIRN_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CAIRN_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) CAIRN_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY CAIRN_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) CAIRN_THREAD_ANNOTATION(guarded_by(x))
#define REQUIRES(...) CAIRN_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) CAIRN_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRE(...) CAIRN_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) CAIRN_THREAD_ANNOTATION(release_capability(__VA_ARGS__))

namespace cairn {

class CAPABILITY("mutex") Mutex {
public:
    void lock() ACQUIRE() { m_mutex.lock(); }
    void unlock() RELEASE() { m_mutex.unlock(); }
    // For condition variables only (through UniqueLock).
    std::mutex& Native() { return m_mutex; }

private:
    std::mutex m_mutex;
};

class SCOPED_CAPABILITY LockGuard {
public:
    explicit LockGuard(Mutex& m) ACQUIRE(m) : m_mutex{m} { m.lock(); }
    ~LockGuard() RELEASE() { m_mutex.unlock(); }
    LockGuard(const LockGuard&) = delete;
    LockGuard& operator=(const LockGuard&) = delete;

private:
    Mutex& m_mutex;
};

// A lock that a condition variable can release while it waits, and that code may release
// and take again in between (Unlock/Lock).
class SCOPED_CAPABILITY UniqueLock {
public:
    explicit UniqueLock(Mutex& m) ACQUIRE(m) : m_lock{m.Native()} {}
    ~UniqueLock() RELEASE() {}
    void Unlock() RELEASE() { m_lock.unlock(); }
    void Lock() ACQUIRE() { m_lock.lock(); }
    std::unique_lock<std::mutex>& Native() { return m_lock; }

private:
    std::unique_lock<std::mutex> m_lock;
};

}  // namespace cairn
