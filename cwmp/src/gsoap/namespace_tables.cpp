// gSOAP namespace tables: which URIs the prefixes of the generated code mean.
#include "gsoap/namespace_tables.hpp"

#include <stdsoap2.h>

#include <array>

namespace {

constexpr const char* kEnvelope = "http://schemas.xmlsoap.org/soap/envelope/";
constexpr const char* kEncoding = "http://schemas.xmlsoap.org/soap/encoding/";
constexpr const char* kSchemaInstance = "http://www.w3.org/2001/XMLSchema-instance";
constexpr const char* kSchema = "http://www.w3.org/2001/XMLSchema";

}  // namespace

// libgsoap++ refers to a global table named "namespaces" (it is built without
// WITH_NONAMESPACES): this is the input table. Only SOAP 1.1 is accepted: no
// "in" pattern on the envelope namespace, which would also match SOAP 1.2's
// http://www.w3.org/2003/05/soap-envelope.
SOAP_NMAC struct Namespace namespaces[] = {
    {"SOAP-ENV", kEnvelope, nullptr, nullptr},
    {"SOAP-ENC", kEncoding, nullptr, nullptr},
    {"xsi", kSchemaInstance, "http://www.w3.org/*/XMLSchema-instance", nullptr},
    {"xsd", kSchema, "http://www.w3.org/*/XMLSchema", nullptr},
    {"cwmp", "urn:dslforum-org:cwmp-1-2", "urn:dslforum-org:cwmp-1-*", nullptr},
    {nullptr, nullptr, nullptr, nullptr},
};

namespace cwmp::gsoap {

namespace {

using Table = std::array<::Namespace, 6>;

Table output_table(const char* cwmp_uri) {
    return Table{{
        {"SOAP-ENV", kEnvelope, nullptr, nullptr},
        {"SOAP-ENC", kEncoding, nullptr, nullptr},
        {"xsi", kSchemaInstance, nullptr, nullptr},
        {"xsd", kSchema, nullptr, nullptr},
        {"cwmp", cwmp_uri, nullptr, nullptr},
        {nullptr, nullptr, nullptr, nullptr},
    }};
}

// gSOAP copies a table into the context before using it and writes only to
// that copy, so these are never modified.
const Table kCwmp10 = output_table("urn:dslforum-org:cwmp-1-0");
const Table kCwmp11 = output_table("urn:dslforum-org:cwmp-1-1");
const Table kCwmp12 = output_table("urn:dslforum-org:cwmp-1-2");
const Table kCwmp13 = output_table("urn:dslforum-org:cwmp-1-3");
const Table kCwmp14 = output_table("urn:dslforum-org:cwmp-1-4");

}  // namespace

const ::Namespace* output_namespaces(cwmp::Namespace ns) {
    switch (ns) {
        case cwmp::Namespace::Cwmp10:
            return kCwmp10.data();
        case cwmp::Namespace::Cwmp11:
            return kCwmp11.data();
        case cwmp::Namespace::Cwmp12:
            return kCwmp12.data();
        case cwmp::Namespace::Cwmp13:
            return kCwmp13.data();
        case cwmp::Namespace::Cwmp14:
            return kCwmp14.data();
    }
    return kCwmp12.data();
}

const ::Namespace* input_namespaces() {
    return namespaces;
}

}  // namespace cwmp::gsoap
