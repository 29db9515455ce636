// Reboot, FactoryReset and ScheduleInform through the agent: what the ACS
// sees in the session, when the restart happens, and the Inform after it.
// The ACS is scripted, the store is real; a "restart" here is the test
// destroying the agent and starting a new one on the same store, as the
// process does when it re-executes itself.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "agent.hpp"
#include "cwmp/event_codes.hpp"
#include "io_loop.hpp"
#include "scripted_acs.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"

namespace agent {
namespace {

using namespace std::chrono_literals;
using testing::answer;

constexpr const char* kUrl = "Device.ManagementServer.URL";
constexpr const char* kInterval = "Device.ManagementServer.PeriodicInformInterval";

// The scripted ACS, with a look at the device at the moment each message
// leaves it.
class WatchedAcs final : public http::ChannelFactory {
public:
    explicit WatchedAcs(testing::ScriptedAcs& acs) : acs_(acs) {}
    std::function<void(const http::Request&)> on_post;

    std::unique_ptr<http::Channel> open(const http::ChannelSettings& settings) override {
        return std::make_unique<Channel>(*this, acs_.open(settings));
    }

private:
    class Channel final : public http::Channel {
    public:
        Channel(WatchedAcs& owner, std::unique_ptr<http::Channel> inner)
            : owner_(owner), inner_(std::move(inner)) {}
        void post(http::Request request, http::Completion done) override {
            if (owner_.on_post) owner_.on_post(request);
            inner_->post(std::move(request), std::move(done));
        }
        void cancel() override { inner_->cancel(); }

    private:
        WatchedAcs& owner_;
        std::unique_ptr<http::Channel> inner_;
    };
    testing::ScriptedAcs& acs_;
};

class LifecycleAgentTest : public ::testing::Test {
protected:
    testing::TempFolder folder;
    boost::asio::io_context io;
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    testing::ScriptedAcs acs{io};
    WatchedAcs watched{acs};
    int restarts = 0;
    // What the ACS had received when the agent restarted.
    std::size_t posted_at_restart = 0;

    std::unique_ptr<datamodel::Model> open_store() {
        auto model =
            datamodel::Model::open(testing::phone_definitions(), folder.path() / "store.sqlite");
        if (!model) throw std::runtime_error(model.error().message);
        // What cwmp-agent's --acs-url does at every start.
        EXPECT_TRUE(model->get()->set_internal({{kUrl, "http://acs.invalid/", std::nullopt}}));
        return std::move(*model);
    }

    lifecycle::LifecycleSettings settings() {
        lifecycle::LifecycleSettings result;
        result.reboot_grace = 0s;
        result.restart = [this] {
            ++restarts;
            posted_at_restart = acs.posted.size();
        };
        return result;
    }

    http::Response soap(const cwmp::Body& body) {
        cwmp::Envelope envelope;
        envelope.header.id = "1";
        envelope.body = body;
        return answer(200, codec->encode(envelope, cwmp::Namespace::Cwmp10));
    }
    http::Response inform_response() { return soap(cwmp::InformResponse{1}); }

    cwmp::Body posted_body(std::size_t index) {
        auto decoded = codec->decode(acs.posted.at(index).body);
        if (!decoded) {
            ADD_FAILURE() << "message " << index << " does not decode";
            return cwmp::Fault{};
        }
        return decoded->envelope.body;
    }
    std::vector<cwmp::EventStruct> inform_events(std::size_t index) {
        const cwmp::Body body = posted_body(index);
        if (!std::holds_alternative<cwmp::Inform>(body)) {
            ADD_FAILURE() << "message " << index << " is " << cwmp::method_name(body);
            return {};
        }
        return std::get<cwmp::Inform>(body).event;
    }
    // One session in which the ACS sends `request`, then ends it: the
    // agent's Inform is message 0, its empty POST 1, its answer 2, which the
    // ACS answers with 204.
    void script_session_with(const cwmp::Body& request) {
        acs.answers = {inform_response(), soap(request), answer(204)};
    }
    // Runs the loop until the agent restarted (bounded).
    void run_until_restart() {
        ASSERT_TRUE(testing::run_until(
            io, [this] { return restarts > 0; }, 15s))
            << "the agent did not restart";
    }
    // The first session of a restarted agent, ended at once by the ACS.
    std::vector<cwmp::EventStruct> inform_after_restart(datamodel::Model& model) {
        acs.posted.clear();
        acs.answers = {inform_response(), answer(204)};
        io.restart();
        Agent agent(io, model, acs, *codec, settings());
        agent.start();
        EXPECT_TRUE(testing::run_until(
            io, [this] { return acs.posted.size() >= 2; }, 10s));
        io.poll();
        return acs.posted.empty() ? std::vector<cwmp::EventStruct>{} : inform_events(0);
    }
};

bool has_event(const std::vector<cwmp::EventStruct>& events, std::string_view code,
               std::string_view key = {}) {
    return std::any_of(events.begin(), events.end(), [&](const cwmp::EventStruct& e) {
        return e.event_code == code && e.command_key == key;
    });
}

TEST_F(LifecycleAgentTest, RebootIsStoredBeforeTheResponseAndHappensAfterTheSession) {
    auto model = open_store();
    // Bootstrapped before: only the reboot's own events are expected later.
    ASSERT_TRUE(model->set_meta(state_key::kBootstrappedUrl, "http://acs.invalid/"));
    bool stored_when_answered = false;
    bool answered = false;
    watched.on_post = [&](const http::Request& request) {
        if (request.body.find("RebootResponse") != std::string::npos) {
            answered = true;
            const auto& pending = model->pending_events();
            stored_when_answered =
                std::any_of(pending.begin(), pending.end(), [](const auto& event) {
                    return event.code == cwmp::event::kMReboot && event.command_key == "rk-1";
                });
            EXPECT_EQ(restarts, 0);
        }
    };
    {
        Agent agent(io, *model, watched, *codec, settings());
        script_session_with(cwmp::Reboot{"rk-1"});
        agent.start();
        run_until_restart();
    }
    EXPECT_TRUE(answered);
    EXPECT_TRUE(stored_when_answered) << "M Reboot must be committed before RebootResponse";
    ASSERT_EQ(acs.posted.size(), 3u);
    EXPECT_TRUE(std::holds_alternative<cwmp::RebootResponse>(posted_body(2)));
    // The restart came once the RebootResponse was answered with the 204
    // that ended the session, not before.
    EXPECT_EQ(posted_at_restart, 3u);
    EXPECT_TRUE(acs.answers.empty());

    const auto events = inform_after_restart(*model);
    EXPECT_TRUE(has_event(events, cwmp::event::kBoot));
    EXPECT_TRUE(has_event(events, cwmp::event::kMReboot, "rk-1"));
    EXPECT_FALSE(has_event(events, cwmp::event::kBootstrap));
    // Delivered: not sent again.
    EXPECT_TRUE(model->pending_events().empty());
}

TEST_F(LifecycleAgentTest, NoSessionStartsAfterTheRebootWasAccepted) {
    auto model = open_store();
    Agent agent(io, *model, watched, *codec, settings());
    script_session_with(cwmp::Reboot{"k"});
    agent.start();
    run_until_restart();
    // Raised after the session: the device is going down, nothing is sent.
    agent.raise(cwmp::event::kConnectionRequest);
    ASSERT_TRUE(testing::run_for(io, 300ms));
    EXPECT_EQ(acs.posted.size(), 3u);
    EXPECT_EQ(restarts, 1);
}

TEST_F(LifecycleAgentTest, RebootCommandRunsAndTheAgentRestartsWhenTheSystemStaysUp) {
    auto model = open_store();
    const auto marker = folder.path() / "rebooted";
    auto with_command = settings();
    with_command.reboot_command = "touch '" + marker.string() + "'";
    Agent agent(io, *model, watched, *codec, std::move(with_command));
    script_session_with(cwmp::Reboot{"k"});
    agent.start();
    run_until_restart();
    EXPECT_TRUE(std::filesystem::exists(marker));
}

TEST_F(LifecycleAgentTest, FailingRebootCommandFallsBackToTheRestartInPlace) {
    auto model = open_store();
    auto with_command = settings();
    with_command.reboot_command = "exit 7";
    with_command.reboot_grace = 3600s;  // not waited for: the command failed
    Agent agent(io, *model, watched, *codec, std::move(with_command));
    script_session_with(cwmp::Reboot{"k"});
    agent.start();
    run_until_restart();
}

TEST_F(LifecycleAgentTest, FactoryResetErasesTheModelAndTheNextInformBootstraps) {
    auto model = open_store();
    ASSERT_TRUE(model->set_meta(state_key::kBootstrappedUrl, "http://acs.invalid/"));
    const std::string factory_interval = model->value(kInterval).value_or("");
    ASSERT_TRUE(model->set_internal({{kInterval, "4242", std::nullopt}}));
    const auto marker = folder.path() / "reset-hook";
    auto with_command = settings();
    with_command.factory_reset_command = "touch '" + marker.string() + "'";
    {
        Agent agent(io, *model, watched, *codec, std::move(with_command));
        script_session_with(cwmp::FactoryReset{});
        agent.start();
        run_until_restart();
    }
    EXPECT_TRUE(std::holds_alternative<cwmp::FactoryResetResponse>(posted_body(2)));
    EXPECT_EQ(posted_at_restart, 3u);
    EXPECT_TRUE(std::filesystem::exists(marker));
    EXPECT_EQ(model->value(kInterval).value_or(""), factory_interval);
    EXPECT_FALSE(model->meta(lifecycle::DeviceLifecycle::kFactoryResetOwedKey).has_value());

    // The restart applies the local configuration again (the URL), and the
    // ACS is owed a BOOTSTRAP.
    ASSERT_TRUE(model->set_internal({{kUrl, "http://acs.invalid/", std::nullopt}}));
    const auto events = inform_after_restart(*model);
    EXPECT_TRUE(has_event(events, cwmp::event::kBootstrap));
    EXPECT_TRUE(has_event(events, cwmp::event::kBoot));
}

TEST_F(LifecycleAgentTest, FactoryResetAcceptedBeforeACrashIsDoneAtTheNextStart) {
    auto model = open_store();
    ASSERT_TRUE(model->set_internal({{kInterval, "4242", std::nullopt}}));
    ASSERT_TRUE(model->set_meta(lifecycle::DeviceLifecycle::kFactoryResetOwedKey, "1"));
    Agent agent(io, *model, watched, *codec, settings());
    agent.start();
    run_until_restart();
    EXPECT_TRUE(acs.posted.empty()) << "no session before the owed reset";
    EXPECT_NE(model->value(kInterval).value_or(""), "4242");
    EXPECT_FALSE(model->meta(lifecycle::DeviceLifecycle::kFactoryResetOwedKey).has_value());
}

TEST_F(LifecycleAgentTest, ScheduleInformRaisesScheduledAndItsMethodEventAfterTheDelay) {
    auto model = open_store();
    Agent agent(io, *model, watched, *codec, settings());
    acs.answers = {inform_response(), soap(cwmp::ScheduleInform{1, "si-1"}), answer(204),
                   inform_response(), answer(204)};
    agent.start();
    ASSERT_TRUE(testing::run_until(
        io, [this] { return acs.posted.size() >= 5; }, 15s));
    io.poll();
    EXPECT_TRUE(std::holds_alternative<cwmp::ScheduleInformResponse>(posted_body(2)));
    const auto events = inform_events(3);
    EXPECT_TRUE(has_event(events, cwmp::event::kScheduled));
    EXPECT_TRUE(has_event(events, cwmp::event::kMScheduleInform, "si-1"));
    EXPECT_EQ(agent.scheduled_informs(), 0u);
    EXPECT_TRUE(model->pending_events().empty()) << "delivered events are forgotten";
    EXPECT_EQ(restarts, 0);
}

TEST_F(LifecycleAgentTest, ScheduleOutstandingAtRebootIsKeptAndDeliveredWhenDue) {
    auto model = open_store();
    {
        Agent agent(io, *model, watched, *codec, settings());
        acs.answers = {inform_response(), soap(cwmp::ScheduleInform{3600, "later"}), answer(204)};
        agent.start();
        ASSERT_TRUE(testing::run_until(
            io, [this] { return acs.posted.size() >= 3; }, 10s));
        io.poll();
        EXPECT_EQ(agent.scheduled_informs(), 1u);
    }
    {
        acs.posted.clear();
        io.restart();
        Agent agent(io, *model, acs, *codec, settings());
        EXPECT_EQ(agent.scheduled_informs(), 0u);
        acs.answers = {inform_response(), answer(204)};
        agent.start();
        EXPECT_EQ(agent.scheduled_informs(), 1u) << "the schedule survived the restart";
        ASSERT_TRUE(testing::run_until(
            io, [this] { return acs.posted.size() >= 2; }, 10s));
        io.poll();
        // Not due yet: only the boot.
        EXPECT_FALSE(has_event(inform_events(0), cwmp::event::kScheduled));
    }
    // The device was off past the due time: delivered with the next boot.
    const auto past = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count() -
                      10;
    ASSERT_TRUE(
        model->set_meta(lifecycle::ScheduledInforms::kMetaKey,
                        R"([{"due":)" + std::to_string(past) + R"(,"command_key":"later"}])"));
    const auto events = inform_after_restart(*model);
    EXPECT_TRUE(has_event(events, cwmp::event::kBoot));
    EXPECT_TRUE(has_event(events, cwmp::event::kScheduled));
    EXPECT_TRUE(has_event(events, cwmp::event::kMScheduleInform, "later"));
}

}  // namespace
}  // namespace agent
