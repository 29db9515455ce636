#include "connection_request/url_publisher.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>

#include "connection_request/listen_address.hpp"
#include "http/request_target.hpp"

namespace agent::connection_request {

namespace {
constexpr const char* kAcsUrl = "Device.ManagementServer.URL";
constexpr const char* kConnectionRequestUrl = "Device.ManagementServer.ConnectionRequestURL";
constexpr std::chrono::seconds kLookupLimit{10};
}  // namespace

UrlPublisher::UrlPublisher(boost::asio::io_context& io, datamodel::Model& model,
                           boost::asio::ip::tcp::endpoint listening, std::string path)
    : io_(io), model_(model), listening_(std::move(listening)), path_(std::move(path)) {
    if (listening_.address().is_unspecified()) {
        resolver_ = std::make_unique<net::AsyncResolver>(io_);
    }
}

UrlPublisher::~UrlPublisher() = default;

void UrlPublisher::start() {
    // The observer stops with the publisher; the refresh it posts may run
    // after that, hence the weak pointer.
    std::weak_ptr<int> alive = alive_;
    observations_.add(model_.observe([this, alive](const std::string& path, const std::string&) {
        if (path != kAcsUrl || alive.expired()) return;
        // From a fresh turn: not inside the transaction's observer chain.
        boost::asio::post(io_, [this, alive] {
            if (!alive.expired()) refresh();
        });
    }));
    refresh();
}

std::optional<boost::asio::ip::address> UrlPublisher::local_address_towards(
    boost::asio::io_context& io, const boost::asio::ip::address& peer) {
    boost::asio::ip::udp::socket probe(io);
    boost::system::error_code error;
    probe.open(peer.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), error);
    if (!error) probe.connect({peer, 9}, error);  // a UDP connect sends nothing
    if (error) return std::nullopt;
    const auto local = probe.local_endpoint(error);
    if (error || local.address().is_unspecified()) return std::nullopt;
    return local.address();
}

void UrlPublisher::refresh() {
    const std::uint64_t generation = ++generation_;
    if (!resolver_) {
        publish(listening_.address());
        return;
    }
    const std::string acs_url = model_.value(kAcsUrl).value_or("");
    if (acs_url.empty()) {
        spdlog::info("connection request: no ACS URL yet, ConnectionRequestURL follows once known");
        return;
    }
    auto target = http::parse_request_target(acs_url);
    if (!target) {
        spdlog::warn("connection request: cannot read the ACS URL {}: {}", acs_url, target.error());
        return;
    }
    if (target->ip_literal) {
        // At once, so that an Inform about to be built carries the URL.
        boost::system::error_code error;
        const auto address = boost::asio::ip::make_address(target->host, error);
        if (!error) {
            publish_towards({address}, target->host);
            return;
        }
    }
    std::weak_ptr<int> alive = alive_;
    resolver_->resolve(target->host, kLookupLimit,
                       [this, alive, generation, host = target->host](net::ResolveResult result) {
                           if (alive.expired() || generation != generation_) return;
                           if (!result) {
                               spdlog::warn(
                                   "connection request: {}; ConnectionRequestURL not updated",
                                   result.error().message);
                               return;
                           }
                           publish_towards(*result, host);
                       });
}

void UrlPublisher::publish_towards(const net::Addresses& acs_addresses,
                                   const std::string& acs_host) {
    // An IPv4 listener can only be reached over IPv4; a dual-stack one over
    // either.
    const bool v4_only = listening_.address().is_v4();
    for (const auto& address : acs_addresses) {
        if (v4_only && !address.is_v4()) continue;
        if (auto local = local_address_towards(io_, address)) {
            publish(*local);
            return;
        }
    }
    spdlog::warn(
        "connection request: no local address routes to the ACS {}; ConnectionRequestURL not "
        "updated",
        acs_host);
}

void UrlPublisher::publish(const boost::asio::ip::address& host) {
    const std::string url =
        "http://" + url_host(host) + ":" + std::to_string(listening_.port()) + path_;
    if (model_.value(kConnectionRequestUrl).value_or("") == url) {
        return;
    }
    if (auto written = model_.set_internal({{kConnectionRequestUrl, url, std::nullopt}});
        !written) {
        for (const auto& error : written.error()) {
            spdlog::error("connection request: cannot publish {}: {}", url, error.message);
        }
        return;
    }
    spdlog::info("connection request: ConnectionRequestURL is {}", url);
}

}  // namespace agent::connection_request
