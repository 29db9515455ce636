// A cursor over untrusted bytes. Every read checks the remaining length first,
// so a decoder built on it cannot run past the end of a packet whatever the
// packet's own length fields claim.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace agent::dhcp {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    std::size_t remaining() const { return bytes_.size() - position_; }
    std::size_t position() const { return position_; }
    bool empty() const { return remaining() == 0; }

    std::optional<std::uint8_t> u8() {
        if (remaining() < 1) return std::nullopt;
        return bytes_[position_++];
    }
    std::optional<std::uint16_t> u16() {
        if (remaining() < 2) return std::nullopt;
        auto value = static_cast<std::uint16_t>((bytes_[position_] << 8) | bytes_[position_ + 1]);
        position_ += 2;
        return value;
    }
    std::optional<std::uint32_t> u32() {
        if (remaining() < 4) return std::nullopt;
        std::uint32_t value = 0;
        for (std::size_t i = 0; i < 4; ++i) value = (value << 8) | bytes_[position_ + i];
        position_ += 4;
        return value;
    }
    std::optional<std::span<const std::uint8_t>> bytes(std::size_t count) {
        if (remaining() < count) return std::nullopt;
        auto view = bytes_.subspan(position_, count);
        position_ += count;
        return view;
    }
    std::span<const std::uint8_t> rest() {
        auto view = bytes_.subspan(position_);
        position_ = bytes_.size();
        return view;
    }

private:
    std::span<const std::uint8_t> bytes_;
    std::size_t position_ = 0;
};

}  // namespace agent::dhcp
