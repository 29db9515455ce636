// Publishes Device.ManagementServer.ConnectionRequestURL
// (http://HOST:PORT/PATH) for the listener.
//
// HOST is the listen address when it is a specific one. When the server
// listens on every address (0.0.0.0 or ::), HOST is the local address this
// device uses to reach its ACS: the ACS is the one peer that must be able
// to connect back, and the kernel's routing answers the question exactly
// (a UDP socket connected to the ACS's address, with nothing sent). It is
// refreshed whenever ManagementServer.URL changes. ACS host names are
// resolved with the agent's asynchronous resolver, never blocking.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>
#include <string>

#include "datamodel/model.hpp"
#include "net/async_resolver.hpp"

namespace agent::connection_request {

class UrlPublisher {
public:
    UrlPublisher(boost::asio::io_context& io, datamodel::Model& model,
                 boost::asio::ip::tcp::endpoint listening, std::string path);
    ~UrlPublisher();
    UrlPublisher(const UrlPublisher&) = delete;
    UrlPublisher& operator=(const UrlPublisher&) = delete;

    // Publishes now (or once the ACS's address is known) and after every
    // change of the ACS URL.
    void start();

    // The local address a connected UDP socket to `peer` gets; nullopt when
    // there is no route.
    static std::optional<boost::asio::ip::address> local_address_towards(
        boost::asio::io_context& io, const boost::asio::ip::address& peer);

private:
    void refresh();
    void publish_towards(const net::Addresses& acs_addresses, const std::string& acs_host);
    void publish(const boost::asio::ip::address& host);

    boost::asio::io_context& io_;
    datamodel::Model& model_;
    boost::asio::ip::tcp::endpoint listening_;
    std::string path_;
    std::unique_ptr<net::AsyncResolver> resolver_;  // only when listening on every address
    std::uint64_t generation_ = 0;                  // answers of older lookups are ignored
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);
    // Last: the model stops calling this object before its members go.
    datamodel::Observations observations_{model_};
};

}  // namespace agent::connection_request
