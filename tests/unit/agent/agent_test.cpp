// The agent's own decisions: which boot events, when to retry and with which
// RetryCount, BOOTSTRAP for a new ACS. The ACS is scripted; the store is real.
#include "agent.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "agent_fixture.hpp"
#include "cwmp/event_codes.hpp"

namespace agent {
namespace {

using testing::answer;

class AgentTest : public testing::AgentFixture {
protected:
    static std::vector<std::string> codes(const cwmp::Inform& inform) {
        std::vector<std::string> result;
        for (const auto& event : inform.event) {
            result.push_back(event.event_code);
        }
        return result;
    }
};

TEST_F(AgentTest, FactoryFreshDeviceBootstrapsThenLaterStartsOnlyBoot) {
    {
        auto model = open_store();
        configure(*model, {{"Device.ManagementServer.URL", "http://acs.invalid/"}});
        Agent agent(io, *model, acs, *codec);
        acs.answers = {inform_response(), answer(204)};
        agent.start();
        run_until_posted(2, std::chrono::seconds(5));
        EXPECT_EQ(codes(inform_at(0)), (std::vector<std::string>{"0 BOOTSTRAP", "1 BOOT"}));
        EXPECT_EQ(inform_at(0).retry_count, 0u);
    }
    acs.posted.clear();
    io.restart();
    {
        auto model = open_store();
        Agent agent(io, *model, acs, *codec);
        acs.answers = {inform_response(), answer(204)};
        agent.start();
        run_until_posted(2, std::chrono::seconds(5));
        EXPECT_EQ(codes(inform_at(0)), (std::vector<std::string>{"1 BOOT"}));
    }
}

TEST_F(AgentTest, FailedSessionIsRetriedWithRetryCountAndKeepsItsEvents) {
    auto model = open_store();
    // The shortest wait the parameters allow: exactly 1 s for every retry.
    configure(*model, {{"Device.ManagementServer.URL", "http://acs.invalid/"},
                       {"Device.ManagementServer.CWMPRetryMinimumWaitInterval", "1"},
                       {"Device.ManagementServer.CWMPRetryIntervalMultiplier", "1000"}});
    Agent agent(io, *model, acs, *codec);
    acs.answers = {phonecwmp::Unexpected(http::TransportError{"Connection refused"}),
                   phonecwmp::Unexpected(http::TransportError{"Connection refused"}),
                   inform_response(), answer(204)};
    const auto started = std::chrono::steady_clock::now();
    agent.start();
    run_until_posted(4, std::chrono::seconds(10));
    const auto elapsed = std::chrono::steady_clock::now() - started;

    EXPECT_EQ(inform_at(0).retry_count, 0u);
    EXPECT_EQ(inform_at(1).retry_count, 1u);
    EXPECT_EQ(inform_at(2).retry_count, 2u);
    EXPECT_EQ(codes(inform_at(2)), (std::vector<std::string>{"0 BOOTSTRAP", "1 BOOT"}));
    // Two waits of one second each: the retries did wait.
    EXPECT_GE(elapsed, std::chrono::milliseconds(1900));
    EXPECT_EQ(agent.failed_sessions(), 0u);
}

TEST_F(AgentTest, ConnectionRequestEventIsNotRetried) {
    auto model = open_store();
    configure(*model, {{"Device.ManagementServer.URL", "http://acs.invalid/"},
                       {"Device.ManagementServer.CWMPRetryMinimumWaitInterval", "1"},
                       {"Device.ManagementServer.CWMPRetryIntervalMultiplier", "1000"}});
    Agent agent(io, *model, acs, *codec);
    acs.answers = {inform_response(), answer(204),
                   phonecwmp::Unexpected(http::TransportError{"Connection reset"}),
                   inform_response(), answer(204)};
    agent.start();
    run_until_posted(2, std::chrono::seconds(5));
    agent.raise(cwmp::event::kConnectionRequest);
    agent.raise(cwmp::event::kPeriodic);
    run_until_posted(4, std::chrono::seconds(10));
    EXPECT_EQ(codes(inform_at(2)),
              (std::vector<std::string>{"6 CONNECTION REQUEST", "2 PERIODIC"}));
    EXPECT_EQ(codes(inform_at(3)), (std::vector<std::string>{"2 PERIODIC"}));
}

TEST_F(AgentTest, AcsUrlChangedByTheAcsOwesTheNewAcsABootstrap) {
    auto model = open_store();
    configure(*model, {{"Device.ManagementServer.URL", "http://old.invalid/"}});
    Agent agent(io, *model, acs, *codec);
    cwmp::SetParameterValues move;
    move.parameter_list = {{"Device.ManagementServer.URL", "http://new.invalid/", "xsd:string"}};
    acs.answers = {inform_response(), soap({{}, move}), answer(204), inform_response(),
                   answer(204)};
    agent.start();
    run_until_posted(5, std::chrono::seconds(5));
    EXPECT_EQ(acs.posted[0].url, "http://old.invalid/");
    EXPECT_EQ(acs.posted[3].url, "http://new.invalid/");
    EXPECT_EQ(codes(inform_at(3)), (std::vector<std::string>{"0 BOOTSTRAP"}));
    EXPECT_EQ(model->meta(state_key::kBootstrappedUrl), "http://new.invalid/");
}

TEST_F(AgentTest, NoUrlMeansNoSessionUntilOneIsConfigured) {
    auto model = open_store();
    Agent agent(io, *model, acs, *codec);
    agent.start();
    ASSERT_TRUE(testing::run_for(io, std::chrono::milliseconds(200)));
    EXPECT_TRUE(acs.posted.empty());

    acs.answers = {inform_response(), answer(204)};
    configure(*model, {{"Device.ManagementServer.URL", "http://acs.invalid/"}});
    run_until_posted(2, std::chrono::seconds(5));
    EXPECT_EQ(codes(inform_at(0)), (std::vector<std::string>{"0 BOOTSTRAP", "1 BOOT"}));
}

}  // namespace
}  // namespace agent
