// A value-or-error result used across module boundaries.
//
// C++20 has no std::expected (it arrives with C++23), and Debian 12 ships no
// packaged equivalent, so the project keeps this small subset of its API. It
// deliberately mirrors std::expected's names so that switching later is a
// search-and-replace.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace phonecwmp {

template <class E>
class Unexpected {
public:
    explicit Unexpected(E error) : error_(std::move(error)) {}
    E& error() & { return error_; }
    E&& error() && { return std::move(error_); }
    const E& error() const& { return error_; }

private:
    E error_;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

template <class T, class E>
class Expected {
public:
    Expected() requires std::is_default_constructible_v<T> : storage_(std::in_place_index<0>) {}
    Expected(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
    template <class G>
    Expected(Unexpected<G> unexpected)
        : storage_(std::in_place_index<1>, E(std::move(unexpected).error())) {}

    bool has_value() const { return storage_.index() == 0; }
    explicit operator bool() const { return has_value(); }

    T& value() & {
        assert(has_value());
        return std::get<0>(storage_);
    }
    const T& value() const& {
        assert(has_value());
        return std::get<0>(storage_);
    }
    T&& value() && {
        assert(has_value());
        return std::get<0>(std::move(storage_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    E& error() & {
        assert(!has_value());
        return std::get<1>(storage_);
    }
    const E& error() const& {
        assert(!has_value());
        return std::get<1>(storage_);
    }

private:
    std::variant<T, E> storage_;
};

// Specialisation for operations that produce no value, only success or an error.
template <class E>
class Expected<void, E> {
public:
    Expected() = default;
    template <class G>
    Expected(Unexpected<G> unexpected) : error_(E(std::move(unexpected).error())), failed_(true) {}

    bool has_value() const { return !failed_; }
    explicit operator bool() const { return has_value(); }
    const E& error() const& {
        assert(failed_);
        return error_;
    }

private:
    E error_{};
    bool failed_ = false;
};

}  // namespace phonecwmp
