// A SIP peer for endpoint tests: sends requests from a chosen loopback
// address over UDP or TCP and collects what comes back, all on the test's
// io_context and always within a time bound.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <string>

#include "../agent/io_loop.hpp"
#include "sip/message_parser.hpp"
#include "sip/stream_framer.hpp"

namespace agent::sip::test {

class UdpPeer {
public:
    UdpPeer(boost::asio::io_context& io, const std::string& address = "127.0.0.1")
        : io_(io), socket_(io, {boost::asio::ip::make_address(address), 0}), buffer_(65535) {
        receive();
    }
    std::uint16_t port() const { return socket_.local_endpoint().port(); }
    std::string address() const { return socket_.local_endpoint().address().to_string(); }

    void send(std::uint16_t to_port, const std::string& text) {
        socket_.send_to(boost::asio::buffer(text),
                        {boost::asio::ip::make_address("127.0.0.1"), to_port});
    }
    // The next message, or nullopt when none came within `limit`.
    std::optional<SipMessage> next(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        agent::testing::run_until(
            io_, [this] { return !received_.empty(); }, limit);
        if (received_.empty()) {
            return std::nullopt;
        }
        auto text = std::move(received_.front());
        received_.pop_front();
        auto parsed = parse_sip_message(text);
        if (!parsed) {
            return std::nullopt;
        }
        return std::move(*parsed);
    }
    std::size_t pending() const { return received_.size(); }

private:
    void receive() {
        socket_.async_receive_from(boost::asio::buffer(buffer_), sender_,
                                   [this](const boost::system::error_code& ec, std::size_t size) {
                                       if (ec) {
                                           return;
                                       }
                                       received_.emplace_back(buffer_.data(), size);
                                       receive();
                                   });
    }
    boost::asio::io_context& io_;
    boost::asio::ip::udp::socket socket_;
    std::vector<char> buffer_;
    boost::asio::ip::udp::endpoint sender_;
    std::deque<std::string> received_;
};

class TcpPeer {
public:
    TcpPeer(boost::asio::io_context& io, std::uint16_t to_port,
            const std::string& address = "127.0.0.1")
        : io_(io), socket_(io), buffer_(65535) {
        socket_.open(boost::asio::ip::tcp::v4());
        socket_.bind({boost::asio::ip::make_address(address), 0});
        socket_.connect({boost::asio::ip::make_address("127.0.0.1"), to_port});
        receive();
    }
    std::uint16_t port() const { return socket_.local_endpoint().port(); }
    void send(const std::string& text) { boost::asio::write(socket_, boost::asio::buffer(text)); }
    std::optional<SipMessage> next(std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        auto take = [this]() -> std::optional<std::string> {
            auto message = framer_.next_message();
            if (!message || !*message) {
                return std::nullopt;
            }
            return **message;
        };
        std::optional<std::string> text;
        agent::testing::run_until(
            io_,
            [&] {
                text = take();
                return text.has_value() || closed_;
            },
            limit);
        if (!text) {
            return std::nullopt;
        }
        auto parsed = parse_sip_message(*text, {}, Framing::Stream);
        if (!parsed) {
            return std::nullopt;
        }
        return std::move(*parsed);
    }
    bool closed() const { return closed_; }

private:
    void receive() {
        socket_.async_read_some(boost::asio::buffer(buffer_),
                                [this](const boost::system::error_code& ec, std::size_t size) {
                                    if (ec) {
                                        closed_ = true;
                                        return;
                                    }
                                    (void)framer_.append(std::string_view(buffer_.data(), size));
                                    receive();
                                });
    }
    boost::asio::io_context& io_;
    boost::asio::ip::tcp::socket socket_;
    std::vector<char> buffer_;
    StreamFramer framer_;
    bool closed_ = false;
};

// A request with everything RFC 3261 requires; `extra` ends with CRLF.
inline std::string sip_request(const std::string& method, const std::string& branch,
                               const std::string& call_id, std::uint16_t peer_port,
                               const std::string& transport = "UDP", const std::string& to_tag = "",
                               std::uint32_t cseq = 1, const std::string& extra = "",
                               const std::string& body = "") {
    std::string text = method + " sip:phone@127.0.0.1 SIP/2.0\r\n";
    text += "Via: SIP/2.0/" + transport + " 127.0.0.1:" + std::to_string(peer_port) +
            ";branch=z9hG4bK" + branch + ";rport\r\n";
    text += "Max-Forwards: 70\r\n";
    text += "From: <sip:caller@127.0.0.1>;tag=caller1\r\n";
    text += "To: <sip:phone@127.0.0.1>" + (to_tag.empty() ? "" : ";tag=" + to_tag) + "\r\n";
    text += "Call-ID: " + call_id + "\r\n";
    text += "CSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    text += "Contact: <sip:caller@127.0.0.1:" + std::to_string(peer_port) + ">\r\n";
    text += extra;
    text += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    return text;
}

inline int status_of(const std::optional<SipMessage>& message) {
    return message && !message->is_request() ? message->status_line().status_code : 0;
}

}  // namespace agent::sip::test
