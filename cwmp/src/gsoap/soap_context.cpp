// One gSOAP context and the in-memory I/O the codec gives it.
#include "gsoap/soap_context.hpp"

#include <stdsoap2.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace cwmp::gsoap {

SoapContext::SoapContext() : soap_(soap_new()) {
    if (soap_ == nullptr) {
        throw std::bad_alloc();
    }
    soap_->user = &io_;
    soap_->frecv = &SoapContext::receive;
    soap_->fsend = &SoapContext::send;
}

SoapContext::~SoapContext() {
    soap_destroy(soap_);
    soap_end(soap_);
    soap_free(soap_);
}

void SoapContext::read_from(std::string_view text) {
    io_.input = text;
}

void SoapContext::write_to(std::string& out) {
    io_.output = &out;
}

void SoapContext::detach_io() {
    io_ = Io{};
}

std::size_t SoapContext::receive(struct soap* soap, char* buffer, std::size_t length) {
    Io& io = *static_cast<Io*>(soap->user);
    const std::size_t count = std::min(length, io.input.size());
    if (count > 0) {
        std::memcpy(buffer, io.input.data(), count);
    }
    io.input.remove_prefix(count);
    return count;
}

int SoapContext::send(struct soap* soap, const char* data, std::size_t length) {
    Io& io = *static_cast<Io*>(soap->user);
    if (io.output == nullptr) {
        return SOAP_EOF;
    }
    io.output->append(data, length);
    return SOAP_OK;
}

std::string SoapContext::unread_input() const {
    std::string rest(soap_->buf + soap_->bufidx, soap_->buflen - soap_->bufidx);
    rest.append(io_.input);
    return rest;
}

std::string SoapContext::error_text() const {
    soap_set_fault(soap_);
    std::string text;
    if (const char* description = soap_fault_string(soap_)) {
        text = description;
    }
    if (const char* detail = soap_fault_detail(soap_); detail != nullptr && *detail != '\0') {
        text += text.empty() ? "" : ": ";
        text += detail;
    }
    if (text.empty()) {
        text = "gSOAP error " + std::to_string(soap_->error);
    }
    return text;
}

CallScope::~CallScope() {
    struct soap* soap = context_.get();
    soap_destroy(soap);
    soap_end(soap);
    // Both pointed into the memory just freed.
    soap->header = nullptr;
    soap->fault = nullptr;
    context_.detach_io();
}

}  // namespace cwmp::gsoap
