#include "sip/registration_client.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "sip/cseq.hpp"
#include "sip/message_serializer.hpp"
#include "sip/name_address.hpp"
#include "sip/via.hpp"

namespace agent::sip {
namespace {

constexpr std::string_view kRegister = "REGISTER";
// A registrar asking for more than a day between refreshes is not trusted.
constexpr std::chrono::seconds kMaxMinExpires{std::chrono::hours(24)};
// 423 answers followed in a row before giving up (each must raise Expires).
constexpr unsigned kMaxIntervalRetries = 3;

std::optional<std::uint32_t> parse_seconds(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    std::uint32_t value = 0;
    const auto* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

std::string new_token() {
    return cwmp::digest::random_cnonce();
}

int algorithm_preference(cwmp::digest::Algorithm algorithm) {
    switch (algorithm) {
        case cwmp::digest::Algorithm::Sha256:
            return 3;
        case cwmp::digest::Algorithm::Sha256Sess:
            return 2;
        case cwmp::digest::Algorithm::Md5:
            return 1;
        case cwmp::digest::Algorithm::Md5Sess:
            return 0;
    }
    return 0;
}

}  // namespace

const char* to_string(RegistrationClient::State state) {
    switch (state) {
        case RegistrationClient::State::Disabled:
            return "Disabled";
        case RegistrationClient::State::Registering:
            return "Registering";
        case RegistrationClient::State::Registered:
            return "Registered";
        case RegistrationClient::State::Deregistering:
            return "Deregistering";
        case RegistrationClient::State::Error:
            return "Error";
    }
    return "Error";
}

phonecwmp::Expected<SipUri, std::string> address_of_record(const RegistrationSettings& settings) {
    std::string text = settings.register_uri;
    if (text.empty()) {
        if (settings.username.empty()) {
            return phonecwmp::Unexpected(
                std::string("neither RegisterURI nor AuthUserName is set"));
        }
        text = settings.username;
    }
    if (!has_sip_scheme(text)) {
        if (text.find('@') == std::string::npos) {
            text += "@" + settings.registrar.host;
        }
        text = "sip:" + text;
    }
    auto uri = parse_sip_uri(text);
    if (!uri) {
        return phonecwmp::Unexpected(
            fmt::format("RegisterURI {} is not a SIP URI: {}", text, uri.error()));
    }
    if (uri->user.empty()) {
        return phonecwmp::Unexpected(fmt::format("RegisterURI {} has no user part", text));
    }
    uri->parameters.clear();
    uri->headers.clear();
    return uri;
}

RegistrationClient::RegistrationClient(TransactionTimers& timers, RegistrarFlow& flow,
                                       RegistrationClientOptions options,
                                       std::function<void()> on_state_change)
    : timers_(timers),
      flow_(flow),
      options_(std::move(options)),
      on_state_change_(std::move(on_state_change)) {}

RegistrationClient::~RegistrationClient() {
    cancel_schedule();
}

void RegistrationClient::configure(const RegistrationSettings& settings) {
    if (pending_) {
        pending_ = settings;  // the un-REGISTER under way ends with these
        return;
    }
    if (settings == settings_ && state_ != State::Disabled) {
        return;
    }
    if (settings == settings_ && !settings.enabled) {
        return;
    }
    if (bound_ && settings_.enabled) {
        // RFC 3261 §10.2.2: remove the old binding before making the new one.
        pending_ = settings;
        cancel_schedule();
        end_transaction();
        alive_ = std::make_shared<char>();
        sent_credentials_ = false;
        set_state(State::Deregistering);
        open_flow(Purpose::Unregister);
        return;
    }
    settings_ = settings;
    start();
}

void RegistrationClient::start() {
    cancel_schedule();
    end_transaction();
    alive_ = std::make_shared<char>();  // forget callbacks of the previous attempt
    sent_credentials_ = false;
    interval_retries_ = 0;
    consecutive_failures_ = 0;
    bound_ = false;
    granted_ = std::chrono::seconds(0);
    last_error_.clear();
    failure_ = Failure::None;
    if (!settings_.enabled) {
        flow_.close();
        set_state(State::Disabled);
        return;
    }
    if (settings_.registrar.host.empty()) {
        flow_.close();
        fail(Failure::Misconfigured, "RegistrarServer is empty");
        return;
    }
    auto aor = address_of_record(settings_);
    if (!aor) {
        flow_.close();
        fail(Failure::Misconfigured, aor.error());
        return;
    }
    aor_ = std::move(*aor);
    call_id_ = new_token();
    from_tag_ = new_token().substr(0, 16);
    cseq_ = 0;
    requested_ = std::max(settings_.expires, std::chrono::seconds(1));
    flow_.close();  // a new registrar, transport or identity: a new flow
    set_state(State::Registering);
    open_flow(Purpose::Register);
}

void RegistrationClient::open_flow(Purpose purpose) {
    std::weak_ptr<char> alive = alive_;
    flow_.open(settings_.outbound_proxy.value_or(settings_.registrar),
               [this, alive, purpose](phonecwmp::Expected<FlowAddress, std::string> opened) {
                   if (alive.expired()) {
                       return;
                   }
                   if (!opened) {
                       on_transaction_failure(purpose, opened.error());
                       return;
                   }
                   local_ = *opened;
                   send_register(purpose);
               });
}

void RegistrationClient::send_register(
    Purpose purpose, std::optional<std::pair<std::string, std::string>> authorization) {
    const std::string branch = std::string(kBranchMagicCookie) + new_token();
    const bool ipv6 = local_.address.is_v6();
    const std::string host =
        ipv6 ? "[" + local_.address.to_string() + "]" : local_.address.to_string();
    const auto transport = transport_name(local_.transport);
    SipUri request_uri;
    request_uri.secure = false;
    request_uri.host = aor_.host;
    request_uri.host_is_ipv6 = aor_.host_is_ipv6;
    request_uri.port = aor_.port;

    // An un-REGISTER names the binding as it was made, even when the
    // listener moved since.
    const auto& bound = purpose == Purpose::Unregister ? bound_local_ : local_;
    const std::string contact_host =
        bound.address.is_v6() ? "[" + bound.address.to_string() + "]" : bound.address.to_string();
    std::string contact = fmt::format("<sip:{}@{}:{}", aor_.user, contact_host, bound.port);
    if (bound.transport != TransportKind::Udp) {
        std::string lower(transport_name(bound.transport));
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        contact += ";transport=" + lower;
    }
    contact += ">";
    const auto expires = purpose == Purpose::Unregister ? std::chrono::seconds(0) : requested_;

    SipMessage request;
    request.start_line = RequestLine{std::string(kRegister), format_sip_uri(request_uri)};
    request.add_header("Via", fmt::format("SIP/2.0/{} {}:{};branch={};rport", transport, host,
                                          local_.port, branch));
    if (const auto& proxy = settings_.outbound_proxy) {
        const bool literal_v6 =
            proxy->host.find(':') != std::string::npos && proxy->host.front() != '[';
        std::string route = fmt::format(
            "<sip:{}:{}", literal_v6 ? "[" + proxy->host + "]" : proxy->host, proxy->port);
        if (proxy->transport != TransportKind::Udp) {
            std::string lower(transport_name(proxy->transport));
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            route += ";transport=" + lower;
        }
        request.add_header("Route", route + ";lr>");
    }
    request.add_header("Max-Forwards", "70");
    const auto aor_text = format_sip_uri(aor_);
    request.add_header("From", fmt::format("<{}>;tag={}", aor_text, from_tag_));
    request.add_header("To", fmt::format("<{}>", aor_text));
    request.add_header("Call-ID", call_id_);
    request.add_header("CSeq", fmt::format("{} {}", ++cseq_, kRegister));
    request.add_header("Contact", contact);
    request.add_header("Expires", std::to_string(expires.count()));
    if (authorization) {
        request.add_header(authorization->first, std::move(authorization->second));
    }
    request.add_header("User-Agent", options_.user_agent);
    auto wire = serialize_sip_message(request);
    if (!wire) {
        fail(Failure::Misconfigured,
             fmt::format("REGISTER for {} cannot be written: {}", aor_text, wire.error().message));
        return;
    }
    sent_credentials_ = authorization.has_value();
    end_transaction();
    std::weak_ptr<char> alive = alive_;
    transaction_ = std::make_unique<NonInviteClientTransaction>(
        timers_, options_.timers, flow_.reliable(),
        ClientTransactionKey{branch, std::string(kRegister)}, std::move(*wire),
        ClientTransactionHooks{
            .send = [this](const std::string& bytes) { return flow_.send(bytes); },
            .on_response =
                [this, alive, purpose](const SipMessage& response) {
                    if (alive.expired()) {
                        return;
                    }
                    notify(TransactionEvent::Answered);
                    // Checked again: the observer may have restarted the client.
                    if (!alive.expired() && response.status_line().status_code >= 200) {
                        on_final(purpose, response);
                    }
                },
            .on_failure =
                [this, alive, purpose](const std::string& reason) {
                    if (!alive.expired()) {
                        on_transaction_failure(purpose, reason);
                    }
                },
        });
    // Told before start(): the transaction may fail (and end) inside it.
    notify(TransactionEvent::Sent);
    // The transaction may fail (and be replaced) inside start().
    auto* started = transaction_.get();
    started->start();
}

bool RegistrationClient::on_response(const SipMessage& response) {
    if (response.is_request() || !transaction_) {
        return false;
    }
    const auto key = client_key_of_response(response);
    if (key.branch.empty() || !(key == transaction_->key())) {
        return false;
    }
    transaction_->on_response(response);
    return true;
}

void RegistrationClient::restart() {
    if (pending_) {
        // The un-REGISTER lost its flow; the old binding expires by itself.
        after_unregister();
        return;
    }
    if (settings_.enabled) {
        start();
    }
}

void RegistrationClient::on_flow_failure(const std::string& reason) {
    if (transaction_) {
        transaction_->on_transport_error(reason);
        return;
    }
    // Between transactions a lost connection does not end the binding
    // (RFC 3261 §18: the registrar opens a new connection to the Contact,
    // which names the listener); the refresh opens a new flow.
    spdlog::info("SIP registration flow to {} closed ({}); the binding stays until the refresh",
                 settings_.registrar.host, reason);
}

void RegistrationClient::on_final(Purpose purpose, const SipMessage& response) {
    const int status = response.status_line().status_code;
    if (status >= 200 && status < 300) {
        on_success(purpose, response);
        return;
    }
    if ((status == 401 || status == 407) && answer_challenge(purpose, response)) {
        return;
    }
    if (purpose == Purpose::Unregister) {
        // The old binding expires on its own; the new settings must not wait.
        spdlog::info("SIP un-REGISTER at {} answered {} {}", settings_.registrar.host, status,
                     response.status_line().reason_phrase);
        after_unregister();
        return;
    }
    if (status == 423) {
        std::optional<std::uint32_t> minimum;
        if (auto text = response.header("Min-Expires")) {
            minimum = parse_seconds(*text);
        }
        if (minimum && std::chrono::seconds(*minimum) > requested_ &&
            std::chrono::seconds(*minimum) <= kMaxMinExpires &&
            interval_retries_ < kMaxIntervalRetries) {
            ++interval_retries_;
            spdlog::info("SIP registrar {} wants Expires of at least {} s",
                         settings_.registrar.host, *minimum);
            requested_ = std::chrono::seconds(*minimum);
            end_transaction();
            send_register(Purpose::Register);
            return;
        }
        fail(Failure::Registration,
             fmt::format("registrar {} answered 423 with an unusable Min-Expires",
                         settings_.registrar.host));
        return;
    }
    fail(Failure::Registration,
         fmt::format("registrar {} refused the REGISTER of {}: {} {}", settings_.registrar.host,
                     format_sip_uri(aor_), status, response.status_line().reason_phrase));
}

void RegistrationClient::on_success(Purpose purpose, const SipMessage& response) {
    end_transaction();
    if (purpose == Purpose::Unregister) {
        after_unregister();
        return;
    }
    const auto granted = granted_by(response);
    if (granted.count() == 0) {
        fail(Failure::Registration, fmt::format("registrar {} accepted the REGISTER but kept no "
                                                "binding (expires 0)",
                                                settings_.registrar.host));
        return;
    }
    granted_ = granted;
    bound_ = true;
    bound_local_ = local_;
    consecutive_failures_ = 0;
    interval_retries_ = 0;
    failure_ = Failure::None;
    last_error_.clear();
    set_state(State::Registered);
    const auto margin = std::min(options_.refresh_margin, granted / 2);
    const auto refresh = std::max(granted - margin, std::chrono::seconds(1));
    spdlog::info("SIP registered {} at {} for {} s (refresh in {} s)", format_sip_uri(aor_),
                 settings_.registrar.host, granted.count(), refresh.count());
    schedule(refresh, [this] {
        if (state_ == State::Registered) {
            open_flow(Purpose::Register);
        }
    });
}

std::chrono::seconds RegistrationClient::granted_by(const SipMessage& response) const {
    // RFC 3261 §10.2.4: our Contact's expires parameter, else Expires.
    const auto our_host = local_.address.is_v6() ? "[" + local_.address.to_string() + "]"
                                                 : local_.address.to_string();
    const auto our_host_port = fmt::format("{}:{}", our_host, local_.port);
    for (const auto* field : response.headers_named("Contact")) {
        auto contact = parse_name_address(field->value);
        if (!contact) {
            continue;
        }
        auto uri = parse_sip_uri(contact->uri);
        if (!uri || uri->user != aor_.user || uri->host_port() != our_host_port) {
            continue;
        }
        if (const auto* expires = find_parameter(contact->parameters, "expires");
            expires && expires->value) {
            if (auto seconds = parse_seconds(*expires->value)) {
                return std::chrono::seconds(*seconds);
            }
        }
    }
    if (auto text = response.header("Expires")) {
        if (auto seconds = parse_seconds(*text)) {
            return std::chrono::seconds(*seconds);
        }
    }
    return requested_;
}

bool RegistrationClient::answer_challenge(Purpose purpose, const SipMessage& response) {
    const bool proxy = response.status_line().status_code == 407;
    std::optional<cwmp::digest::Challenge> best;
    for (const auto* field :
         response.headers_named(proxy ? "Proxy-Authenticate" : "WWW-Authenticate")) {
        auto challenge = cwmp::digest::parse_challenge(field->value);
        if (!challenge) {
            spdlog::debug("SIP registrar challenge skipped: {}", challenge.error().message);
            continue;
        }
        if (!best ||
            algorithm_preference(challenge->algorithm) > algorithm_preference(best->algorithm)) {
            best = std::move(*challenge);
        }
    }
    if (!best) {
        if (purpose == Purpose::Unregister) {
            return false;  // the un-REGISTER gives up; the new settings go ahead
        }
        fail(Failure::Registration,
             fmt::format("registrar {} answered {} without a Digest challenge we can answer",
                         settings_.registrar.host, response.status_line().status_code));
        return true;
    }
    if (sent_credentials_ && !best->stale) {
        // The credentials of our last request were refused: retrying with
        // the same password would only lock the account.
        if (purpose == Purpose::Unregister) {
            return false;
        }
        fail(Failure::Registration,
             fmt::format("registrar {} refused the credentials of user {} (realm {})",
                         settings_.registrar.host, settings_.username, best->realm));
        return true;
    }
    if (settings_.username.empty()) {
        if (purpose == Purpose::Unregister) {
            return false;
        }
        fail(Failure::Registration,
             fmt::format("registrar {} asks for credentials and AuthUserName is empty",
                         settings_.registrar.host));
        return true;
    }
    SipUri request_uri;
    request_uri.host = aor_.host;
    request_uri.host_is_ipv6 = aor_.host_is_ipv6;
    request_uri.port = aor_.port;
    auto credentials =
        cwmp::digest::answer_challenge(*best, settings_.username, settings_.password, kRegister,
                                       format_sip_uri(request_uri), 1, new_token());
    if (!credentials) {
        if (purpose == Purpose::Unregister) {
            return false;
        }
        fail(Failure::Registration,
             fmt::format("cannot answer the challenge of registrar {}: {}",
                         settings_.registrar.host, credentials.error().message));
        return true;
    }
    end_transaction();
    send_register(purpose,
                  std::make_pair(std::string(proxy ? "Proxy-Authorization" : "Authorization"),
                                 cwmp::digest::format_credentials(*credentials)));
    return true;
}

void RegistrationClient::on_transaction_failure(Purpose purpose, const std::string& reason) {
    end_transaction();
    if (purpose == Purpose::Unregister) {
        spdlog::info("SIP un-REGISTER at {} failed: {}", settings_.registrar.host, reason);
        after_unregister();
        return;
    }
    fail(Failure::Network, fmt::format("registrar {}:{} over {}: {}", settings_.registrar.host,
                                       settings_.registrar.port,
                                       transport_name(settings_.registrar.transport), reason));
}

void RegistrationClient::after_unregister() {
    end_transaction();
    bound_ = false;
    settings_ = pending_ ? std::move(*pending_) : settings_;
    pending_.reset();
    start();
}

void RegistrationClient::fail(Failure failure, std::string reason) {
    end_transaction();
    if (pending_) {
        // An un-REGISTER that cannot finish must not hold the new settings
        // back: the old binding expires on its own.
        spdlog::info("SIP un-REGISTER abandoned: {}", reason);
        after_unregister();
        return;
    }
    failure_ = failure;
    last_error_ = std::move(reason);
    bound_ = bound_ && failure != Failure::Misconfigured;
    spdlog::warn("SIP registration failed: {}", last_error_);
    set_state(State::Error);
    if (failure == Failure::Misconfigured) {
        return;  // waits for a configuration change
    }
    ++consecutive_failures_;
    // RetryInterval, doubled per consecutive failure, bounded.
    auto wait = std::max(settings_.retry_interval, std::chrono::seconds(1));
    for (unsigned i = 1; i < consecutive_failures_ && wait < options_.max_retry_wait; ++i) {
        wait *= 2;
    }
    wait = std::min(wait, std::max(options_.max_retry_wait, settings_.retry_interval));
    spdlog::info("SIP registration retried in {} s", wait.count());
    schedule(wait, [this] {
        flow_.close();
        sent_credentials_ = false;
        set_state(State::Registering);
        open_flow(Purpose::Register);
    });
}

void RegistrationClient::schedule(std::chrono::milliseconds delay, std::function<void()> action) {
    cancel_schedule();
    std::weak_ptr<char> alive = alive_;
    scheduled_ = timers_.start(delay, [this, alive, action = std::move(action)] {
        if (alive.expired()) {
            return;
        }
        scheduled_ = 0;
        action();
    });
}

void RegistrationClient::cancel_schedule() {
    if (scheduled_ != 0) {
        timers_.cancel(scheduled_);
        scheduled_ = 0;
    }
}

void RegistrationClient::end_transaction() {
    if (!transaction_) {
        return;
    }
    transaction_.reset();
    notify(TransactionEvent::Ended);
}

void RegistrationClient::notify(TransactionEvent event) {
    if (transaction_observer_) {
        transaction_observer_(event);
    }
}

void RegistrationClient::set_state(State state) {
    if (state == state_) {
        return;
    }
    state_ = state;
    if (on_state_change_) {
        on_state_change_();
    }
}

}  // namespace agent::sip
