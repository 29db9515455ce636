#include "datamodel/types.hpp"

#include <array>
#include <utility>

namespace datamodel {

namespace {

constexpr std::array<std::pair<BaseType, std::string_view>, 9> kTypeNames{{
    {BaseType::String, "string"},
    {BaseType::UnsignedInt, "unsignedInt"},
    {BaseType::Int, "int"},
    {BaseType::UnsignedLong, "unsignedLong"},
    {BaseType::Long, "long"},
    {BaseType::Boolean, "boolean"},
    {BaseType::DateTime, "dateTime"},
    {BaseType::Base64, "base64"},
    {BaseType::HexBinary, "hexBinary"},
}};

}  // namespace

std::string_view to_string(BaseType type) {
    for (const auto& [candidate, name] : kTypeNames) {
        if (candidate == type) return name;
    }
    return "string";
}

std::optional<BaseType> base_type_from_string(std::string_view name) {
    for (const auto& [type, candidate] : kTypeNames) {
        if (candidate == name) return type;
    }
    return std::nullopt;
}

std::string_view to_string(ErrorCode code) {
    switch (code) {
        case ErrorCode::InvalidName:
            return "InvalidName";
        case ErrorCode::InvalidArguments:
            return "InvalidArguments";
        case ErrorCode::InvalidType:
            return "InvalidType";
        case ErrorCode::InvalidValue:
            return "InvalidValue";
        case ErrorCode::NotWritable:
            return "NotWritable";
        case ErrorCode::ResourcesExceeded:
            return "ResourcesExceeded";
        case ErrorCode::NotificationRejected:
            return "NotificationRejected";
        case ErrorCode::Internal:
            return "Internal";
    }
    return "Internal";
}

}  // namespace datamodel
