// A RegistrarFlow for tests: records what is sent, and completes open()
// only when the test says so (never inside open(), like the real one).
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "sip/registrar_flow.hpp"

namespace agent::sip::test {

class FakeRegistrarFlow final : public RegistrarFlow {
public:
    void open(const RegistrarTarget& target, Opened done) override {
        targets.push_back(target);
        pending_.push_back(std::move(done));
    }
    bool send(std::string wire) override {
        if (fail_sends) {
            return false;
        }
        sent.push_back(std::move(wire));
        return true;
    }
    bool reliable() const override { return reliable_flow; }
    void close() override {
        ++closes;
        pending_.clear();
    }

    // Completes every waiting open() with `local` (or fails them with `error`).
    void complete_opens(const std::string& error = {}) {
        auto pending = std::move(pending_);
        pending_.clear();
        for (auto& done : pending) {
            if (error.empty()) {
                done(local);
            } else {
                done(phonecwmp::Unexpected(error));
            }
        }
    }
    std::size_t pending_opens() const { return pending_.size(); }

    FlowAddress local{TransportKind::Udp, boost::asio::ip::make_address("192.0.2.10"), 5062};
    bool reliable_flow = false;
    bool fail_sends = false;
    std::vector<std::string> sent;
    std::vector<RegistrarTarget> targets;
    int closes = 0;

private:
    std::deque<Opened> pending_;
};

}  // namespace agent::sip::test
