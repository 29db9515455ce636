#include "virtual_cpe.hpp"

#include <fmt/format.h>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace swarm {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

constexpr char kContentType[] = "text/xml; charset=\"utf-8\"";

std::string cookie_of(const bhttp::response<bhttp::string_body>& response) {
    const auto header = response[bhttp::field::set_cookie];
    const std::string_view text{header.data(), header.size()};
    return std::string{text.substr(0, text.find(';'))};
}

}  // namespace

asio::awaitable<std::string> run_session(VirtualDevice& device, cwmp::Codec& codec,
                                         const AcsTarget& acs) {
    beast::tcp_stream stream(co_await asio::this_coro::executor);
    boost::system::error_code error;
    stream.expires_after(acs.timeout);
    co_await stream.async_connect(acs.endpoint, asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return "connect: " + error.message();

    beast::flat_buffer buffer;
    std::string cookie;
    cwmp::Namespace ns = cwmp::Namespace::Cwmp12;
    cwmp::Envelope inform;
    inform.body = device.next_inform();
    std::string body = codec.encode(inform, ns);
    bool informed = false;

    for (unsigned exchange = 0; exchange <= acs.max_requests_per_session + 1; ++exchange) {
        bhttp::request<bhttp::string_body> request{bhttp::verb::post, acs.target, 11};
        request.set(bhttp::field::host, acs.host);
        request.set(bhttp::field::user_agent, "cpe-swarm");
        if (!body.empty()) {
            request.set(bhttp::field::content_type, kContentType);
            if (!informed) request.set("SOAPAction", "");
        }
        if (!cookie.empty()) request.set(bhttp::field::cookie, cookie);
        request.keep_alive(true);
        request.body() = std::move(body);
        request.prepare_payload();

        stream.expires_after(acs.timeout);
        co_await bhttp::async_write(stream, request,
                                    asio::redirect_error(asio::use_awaitable, error));
        if (error) co_return "write: " + error.message();

        bhttp::response_parser<bhttp::string_body> parser;
        parser.body_limit(acs.max_reply_bytes);
        stream.expires_after(acs.timeout);
        co_await bhttp::async_read(stream, buffer, parser,
                                   asio::redirect_error(asio::use_awaitable, error));
        if (error) co_return "read: " + error.message();
        auto response = parser.release();
        if (auto fresh = cookie_of(response); !fresh.empty()) cookie = std::move(fresh);

        if (!informed) {
            if (response.result_int() != 200) {
                co_return fmt::format("Inform answered HTTP {}", response.result_int());
            }
            auto decoded = codec.decode(response.body());
            if (!decoded || !std::holds_alternative<cwmp::InformResponse>(decoded->envelope.body)) {
                co_return "Inform not answered with an InformResponse";
            }
            ns = decoded->ns;
            informed = true;
            body.clear();  // the empty POST: nothing more to send
            continue;
        }
        if (response.result_int() == 204) {
            beast::error_code ignored;
            stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            co_return std::string{};
        }
        if (response.result_int() != 200 || response.body().empty()) {
            co_return fmt::format("ACS answered HTTP {} in the session", response.result_int());
        }
        auto decoded = codec.decode(response.body());
        if (!decoded) co_return "undecodable ACS request: " + decoded.error().detail;
        cwmp::Envelope answer;
        answer.header.id = decoded->envelope.header.id;
        answer.body = device.answer(decoded->envelope.body);
        body = codec.encode(answer, decoded->ns);
    }
    co_return fmt::format("more than {} ACS requests in one session", acs.max_requests_per_session);
}

}  // namespace swarm
