#include "http_test_dns_responder.hpp"

#include <cctype>
#include <optional>
#include <utility>

namespace agent::http::test {

namespace {

constexpr std::size_t kHeaderSize = 12;
constexpr unsigned kTypeA = 1;
constexpr unsigned kTypeAAAA = 28;
constexpr unsigned char kNxDomain = 3;

unsigned read16(const unsigned char* p) {
    return (unsigned{p[0]} << 8) | unsigned{p[1]};
}

void append16(std::vector<unsigned char>& out, unsigned value) {
    out.push_back(static_cast<unsigned char>(value >> 8));
    out.push_back(static_cast<unsigned char>(value & 0xff));
}

struct Question {
    std::string name;  // lower case, no trailing dot
    unsigned type = 0;
    std::size_t end = 0;  // offset just past the question section
};

std::optional<Question> parse_question(const unsigned char* data, std::size_t size) {
    if (size < kHeaderSize || read16(data + 4) != 1) {
        return std::nullopt;
    }
    Question question;
    std::size_t pos = kHeaderSize;
    while (true) {
        if (pos >= size) {
            return std::nullopt;
        }
        const unsigned length = data[pos++];
        if (length == 0) {
            break;
        }
        if (length > 63 || pos + length > size) {
            return std::nullopt;  // compression in a question, or truncated
        }
        if (!question.name.empty()) {
            question.name += '.';
        }
        for (unsigned i = 0; i < length; ++i) {
            question.name += static_cast<char>(std::tolower(data[pos + i]));
        }
        pos += length;
    }
    if (pos + 4 > size) {
        return std::nullopt;
    }
    question.type = read16(data + pos);
    question.end = pos + 4;
    return question;
}

}  // namespace

TestDnsResponder::TestDnsResponder(boost::asio::io_context& io,
                                   std::map<std::string, boost::asio::ip::address_v4> records,
                                   Mode mode, std::uint32_t ttl_seconds)
    : socket_(io, boost::asio::ip::udp::endpoint(boost::asio::ip::address_v4::loopback(), 0)),
      records_(std::move(records)),
      mode_(mode),
      ttl_seconds_(ttl_seconds) {
    receive();
}

std::string TestDnsResponder::server() const {
    return "127.0.0.1:" + std::to_string(socket_.local_endpoint().port());
}

void TestDnsResponder::receive() {
    socket_.async_receive_from(boost::asio::buffer(buffer_), peer_,
                               [this](const boost::system::error_code& ec, std::size_t size) {
                                   if (ec) {
                                       return;  // closed
                                   }
                                   on_datagram(size);
                                   receive();
                               });
}

void TestDnsResponder::on_datagram(std::size_t size) {
    const auto question = parse_question(buffer_.data(), size);
    if (!question) {
        return;
    }
    questions_.push_back(question->name + "/" +
                         (question->type == kTypeA      ? "A"
                          : question->type == kTypeAAAA ? "AAAA"
                                                        : std::to_string(question->type)));
    if (mode_ == Mode::Silent) {
        return;
    }
    const auto record = records_.find(question->name);
    const bool answer = record != records_.end() && question->type == kTypeA;
    // Header: same ID; QR, the query's opcode and RD; RA and the rcode.
    reply_.assign(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(question->end));
    reply_[2] = static_cast<unsigned char>(0x80 | (buffer_[2] & 0x79));
    reply_[3] = static_cast<unsigned char>(0x80 | (record == records_.end() ? kNxDomain : 0));
    reply_[6] = 0;
    reply_[7] = answer ? 1 : 0;   // ANCOUNT
    reply_[8] = reply_[9] = 0;    // NSCOUNT
    reply_[10] = reply_[11] = 0;  // ARCOUNT: whatever the query carried is not echoed
    if (answer) {
        append16(reply_, 0xc000 | kHeaderSize);  // the name: a pointer to the question's
        append16(reply_, kTypeA);
        append16(reply_, 1);                                               // class IN
        append16(reply_, static_cast<std::uint16_t>(ttl_seconds_ >> 16));  // TTL
        append16(reply_, static_cast<std::uint16_t>(ttl_seconds_ & 0xffff));
        append16(reply_, 4);
        const auto bytes = record->second.to_bytes();
        reply_.insert(reply_.end(), bytes.begin(), bytes.end());
    }
    boost::system::error_code ignored;
    socket_.send_to(boost::asio::buffer(reply_), peer_, 0, ignored);
}

}  // namespace agent::http::test
