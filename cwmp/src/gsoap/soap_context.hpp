// One gSOAP context and the in-memory I/O the codec gives it.
#pragma once

#include <string>
#include <string_view>

struct soap;

namespace cwmp::gsoap {

// Owns a gSOAP context (about 165 KB). Not thread-safe: gSOAP keeps all
// parsing and serialization state in the context.
class SoapContext {
public:
    // Throws std::bad_alloc when gSOAP cannot allocate the context.
    SoapContext();
    ~SoapContext();
    SoapContext(const SoapContext&) = delete;
    SoapContext& operator=(const SoapContext&) = delete;

    struct soap* get() const {
        return soap_;
    }

    // Reads `text` (which must outlive the read) instead of a socket.
    void read_from(std::string_view text);
    // Appends everything gSOAP sends to `out` instead of a socket.
    void write_to(std::string& out);
    // Forgets the input and the output given above.
    void detach_io();

    // What gSOAP has not consumed of the input: the rest of its buffer and
    // what it has not read yet.
    std::string unread_input() const;

    // gSOAP's description of its current error, e.g. "Validation constraint
    // violation: tag name or namespace mismatch in element 'Foo'".
    std::string error_text() const;

private:
    struct Io {
        std::string_view input;
        std::string* output = nullptr;
    };

    static std::size_t receive(struct soap* soap, char* buffer, std::size_t length);
    static int send(struct soap* soap, const char* data, std::size_t length);

    struct soap* soap_;
    Io io_;
};

// Frees everything gSOAP allocated for one encode or decode (soap_destroy()
// for C++ objects, soap_end() for the rest) when the call ends, however it
// ends. Objects deserialized into the caller's own variables are not touched.
class CallScope {
public:
    explicit CallScope(SoapContext& context) : context_(context) {}
    ~CallScope();
    CallScope(const CallScope&) = delete;
    CallScope& operator=(const CallScope&) = delete;

private:
    SoapContext& context_;
};

}  // namespace cwmp::gsoap
