// Result<T, E>: a value or an error, in the shape of C++23 std::expected.
//
// Consensus code returns errors as values so that every rejection is explicit at the call
// site and no exception ever leaves consensus/. The class is [[nodiscard]]: ignoring the
// outcome of a check is a compile-time warning.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

namespace cairn {

template <typename E>
struct Unexpected {
    E error;
};

template <typename E>
Unexpected(E) -> Unexpected<E>;

template <typename E>
Unexpected<E> MakeError(E e) {
    return Unexpected<E>{std::move(e)};
}

template <typename T, typename E>
class [[nodiscard]] Result {
public:
    Result(T value) : m_v{std::in_place_index<0>, std::move(value)} {}
    template <typename G>
    Result(Unexpected<G> err) : m_v{std::in_place_index<1>, E(std::move(err.error))} {}

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }

    // REQUIRES: has_value().
    T& value() & {
        assert(has_value());
        return std::get<0>(m_v);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(m_v);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(m_v));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    // REQUIRES: !has_value().
    const E& error() const {
        assert(!has_value());
        return std::get<1>(m_v);
    }

private:
    std::variant<T, E> m_v;
};

// Result<void, E>: success carries nothing.
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    Result() = default;
    template <typename G>
    Result(Unexpected<G> err) : m_err{E(std::move(err.error))}, m_ok{false} {}

    bool has_value() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const E& error() const {
        assert(!m_ok);
        return m_err;
    }

private:
    E m_err{};
    bool m_ok{true};
};

}  // namespace cairn
