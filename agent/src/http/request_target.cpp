#include "http/request_target.hpp"

#include <curl/curl.h>

#include <charconv>
#include <memory>

namespace agent::http {

namespace {

using UrlHandle = std::unique_ptr<CURLU, decltype(&curl_url_cleanup)>;

phonecwmp::Expected<std::string, std::string> url_part(CURLU* url, CURLUPart what, unsigned flags) {
    char* text = nullptr;
    if (const CURLUcode code = curl_url_get(url, what, &text, flags); code != CURLUE_OK) {
        return phonecwmp::Unexpected(std::string(curl_url_strerror(code)));
    }
    std::string value(text);
    curl_free(text);
    return value;
}

}  // namespace

phonecwmp::Expected<RequestTarget, std::string> parse_request_target(const std::string& url) {
    const auto invalid = [&url](const std::string& why) {
        return phonecwmp::Unexpected("invalid URL \"" + url + "\": " + why);
    };
    UrlHandle handle(curl_url(), &curl_url_cleanup);
    if (!handle) {
        return invalid("out of memory");
    }
    if (const CURLUcode code = curl_url_set(handle.get(), CURLUPART_URL, url.c_str(), 0);
        code != CURLUE_OK) {
        return invalid(curl_url_strerror(code));
    }
    RequestTarget target;
    auto scheme = url_part(handle.get(), CURLUPART_SCHEME, 0);
    if (!scheme) {
        return invalid(scheme.error());
    }
    target.scheme = *scheme;
    if (target.scheme != "http" && target.scheme != "https") {
        return invalid("only http and https are supported");
    }
    auto host = url_part(handle.get(), CURLUPART_HOST, 0);
    if (!host) {
        return invalid(host.error());
    }
    target.host = *host;
    if (target.host.empty()) {
        return invalid("no host");
    }
    auto port = url_part(handle.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
    if (!port) {
        return invalid(port.error());
    }
    const char* end = port->data() + port->size();
    if (const auto [ptr, error] = std::from_chars(port->data(), end, target.port);
        error != std::errc{} || ptr != end) {
        return invalid("bad port");
    }
    if (target.host.front() == '[') {
        // libcurl's parser only accepts a valid IPv6 literal in brackets.
        target.host = target.host.substr(1, target.host.size() - 2);
        target.ip_literal = true;
    } else {
        boost::system::error_code ec;
        boost::asio::ip::make_address_v4(target.host, ec);
        target.ip_literal = !ec;
    }
    return target;
}

std::string resolve_entry(const RequestTarget& target,
                          const std::vector<boost::asio::ip::address>& addresses) {
    std::string list;
    for (const auto& address : addresses) {
        if (address.is_v6() && address.to_v6().scope_id() != 0) {
            continue;
        }
        if (!list.empty()) {
            list += ',';
        }
        list += address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    }
    if (list.empty()) {
        return {};
    }
    return target.host + ":" + std::to_string(target.port) + ":" + list;
}

}  // namespace agent::http
