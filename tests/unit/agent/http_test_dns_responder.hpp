// A tiny DNS server on 127.0.0.1 (UDP) for testing the agent's resolver: it
// answers A queries from a fixed table, AAAA queries for those names with no
// data, anything else with NXDOMAIN, or, when silent, never answers at all.
#pragma once

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace agent::http::test {

class TestDnsResponder {
public:
    enum class Mode { Answer, Silent };

    TestDnsResponder(boost::asio::io_context& io,
                     std::map<std::string, boost::asio::ip::address_v4> records,
                     Mode mode = Mode::Answer, std::uint32_t ttl_seconds = 60);
    TestDnsResponder(const TestDnsResponder&) = delete;
    TestDnsResponder& operator=(const TestDnsResponder&) = delete;

    std::string server() const;  // "127.0.0.1:port", as AsyncResolver::set_servers takes it
    std::size_t queries() const { return questions_.size(); }
    // "name/type" of every query received, e.g. "acs.test/A", "acs.test/AAAA".
    const std::vector<std::string>& questions() const { return questions_; }

private:
    void receive();
    void on_datagram(std::size_t size);

    boost::asio::ip::udp::socket socket_;
    std::map<std::string, boost::asio::ip::address_v4> records_;
    Mode mode_;
    std::uint32_t ttl_seconds_;
    std::array<unsigned char, 1500> buffer_{};
    std::vector<unsigned char> reply_;
    boost::asio::ip::udp::endpoint peer_;
    std::vector<std::string> questions_;
};

}  // namespace agent::http::test
