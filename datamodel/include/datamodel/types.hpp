// Data-model types (TR-106 base types) and the errors the data model reports.
// Nothing here knows of CWMP: the agent maps errors to fault codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace datamodel {

enum class BaseType {
    String,
    UnsignedInt,
    Int,
    UnsignedLong,
    Long,
    Boolean,
    DateTime,
    Base64,
    HexBinary,
};

// "string", "unsignedInt", ... as in the BBF data-model schema (and, with an
// "xsd:" prefix, as xsi:type on the wire).
std::string_view to_string(BaseType type);
std::optional<BaseType> base_type_from_string(std::string_view name);

enum class Access { ReadOnly, ReadWrite };

enum class ErrorCode {
    InvalidName,        // no such parameter or object
    InvalidArguments,   // a request that makes no sense (e.g. next_level on a parameter)
    InvalidType,        // the value's declared type does not match
    InvalidValue,       // out of range, not in the enumeration, too long, bad syntax
    NotWritable,        // read-only parameter
    ResourcesExceeded,  // too many instances or too large a request
    // A notification attribute the parameter refuses (active notification of
    // a canDeny parameter, any change to a forceEnabled one).
    NotificationRejected,
    Internal,  // store failure and the like
};

std::string_view to_string(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string path;     // the parameter or object concerned, empty if none
    std::string message;  // names the problem for a human
};

// One value read from the tree. Hidden parameters (passwords) read as "".
struct ValueRead {
    std::string path;
    std::string value;
    BaseType type = BaseType::String;
    friend bool operator==(const ValueRead&, const ValueRead&) = default;
};

// One entry of a GetParameterNames-style listing. Objects end with '.'.
struct NameInfo {
    std::string path;
    bool writable = false;
    friend bool operator==(const NameInfo&, const NameInfo&) = default;
};

// One value to set. declared_type is the type the sender attached to the
// value (e.g. from xsi:type), if any; it must match the parameter's base type.
struct ValueWrite {
    std::string path;
    std::string value;
    std::optional<BaseType> declared_type;
};

}  // namespace datamodel
