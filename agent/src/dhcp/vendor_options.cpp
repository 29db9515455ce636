#include "dhcp/vendor_options.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "dhcp/byte_reader.hpp"
#include "dhcp/byte_writer.hpp"

namespace agent::dhcp {
namespace {

void merge_suboption(std::vector<VendorSubOption>& suboptions, std::uint8_t code,
                     std::span<const std::uint8_t> data) {
    auto found = std::find_if(suboptions.begin(), suboptions.end(),
                              [code](const VendorSubOption& entry) { return entry.code == code; });
    if (found == suboptions.end()) {
        suboptions.push_back(VendorSubOption{code, Bytes(data.begin(), data.end())});
    } else {
        found->data.insert(found->data.end(), data.begin(), data.end());
    }
}

}  // namespace

Result<std::vector<VendorSubOption>> decode_vendor_suboptions(std::span<const std::uint8_t> data,
                                                              std::string_view container) {
    std::vector<VendorSubOption> suboptions;
    std::size_t instances = 0;
    ByteReader reader(data);
    while (!reader.empty()) {
        const std::uint8_t code = *reader.u8();
        if (code == 0) continue;
        if (code == 255) break;
        auto length = reader.u8();
        if (!length) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("{} sub-option {} has no length byte", container, code));
        }
        auto value = reader.bytes(*length);
        if (!value) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("{} sub-option {} declares {} bytes but only {} remain",
                                          container, code, *length, reader.remaining()));
        }
        if (++instances > kMaxVendorSubOptions) {
            return dhcp_error(
                DhcpErrorKind::TooLarge,
                fmt::format("{} holds more than {} sub-options", container, kMaxVendorSubOptions));
        }
        merge_suboption(suboptions, code, *value);
    }
    return suboptions;
}

Bytes encode_vendor_suboptions(const std::vector<VendorSubOption>& suboptions) {
    ByteWriter writer;
    for (const auto& suboption : suboptions) {
        std::span<const std::uint8_t> rest(suboption.data);
        do {
            const std::size_t chunk = std::min<std::size_t>(rest.size(), 255);
            writer.u8(suboption.code);
            writer.u8(static_cast<std::uint8_t>(chunk));
            writer.bytes(rest.first(chunk));
            rest = rest.subspan(chunk);
        } while (!rest.empty());
    }
    return writer.take();
}

const VendorSubOption* find_vendor_suboption(const std::vector<VendorSubOption>& suboptions,
                                             std::uint8_t code) {
    auto found = std::find_if(suboptions.begin(), suboptions.end(),
                              [code](const VendorSubOption& entry) { return entry.code == code; });
    return found == suboptions.end() ? nullptr : &*found;
}

Result<std::vector<VendorIdentifyingBlock>> decode_vendor_identifying_option(
    std::span<const std::uint8_t> data) {
    std::vector<VendorIdentifyingBlock> blocks;
    ByteReader reader(data);
    while (!reader.empty()) {
        const std::size_t offset = reader.position();
        auto enterprise = reader.u32();
        auto length = reader.u8();
        if (!enterprise || !length) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("option 125 block at offset {} has no complete "
                                          "enterprise number and length",
                                          offset));
        }
        auto block_data = reader.bytes(*length);
        if (!block_data) {
            return dhcp_error(DhcpErrorKind::Truncated,
                              fmt::format("option 125 enterprise {} declares {} bytes but only {} "
                                          "remain",
                                          *enterprise, *length, reader.remaining()));
        }
        auto suboptions = decode_vendor_suboptions(
            *block_data, fmt::format("option 125 enterprise {}", *enterprise));
        if (!suboptions) return phonecwmp::Unexpected(suboptions.error());
        auto found = std::find_if(blocks.begin(), blocks.end(), [&](const auto& block) {
            return block.enterprise == *enterprise;
        });
        if (found == blocks.end()) {
            blocks.push_back(VendorIdentifyingBlock{*enterprise, std::move(*suboptions)});
        } else {
            for (const auto& suboption : *suboptions) {
                merge_suboption(found->suboptions, suboption.code, suboption.data);
            }
        }
    }
    return blocks;
}

Result<Bytes> encode_vendor_identifying_option(const std::vector<VendorIdentifyingBlock>& blocks) {
    ByteWriter writer;
    for (const auto& block : blocks) {
        const Bytes data = encode_vendor_suboptions(block.suboptions);
        if (data.size() > 255) {
            return dhcp_error(DhcpErrorKind::TooLarge,
                              fmt::format("option 125 enterprise {} sub-options take {} bytes, "
                                          "more than 255",
                                          block.enterprise, data.size()));
        }
        writer.u32(block.enterprise);
        writer.u8(static_cast<std::uint8_t>(data.size()));
        writer.bytes(data);
    }
    return writer.take();
}

}  // namespace agent::dhcp
