// Connection requests and the agent's sessions: several requests give one
// session; a request during a session leaves it intact and a second
// session follows with "6 CONNECTION REQUEST". The ACS is scripted and can
// hold its answers, so that requests land inside a session for certain.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <deque>

#include "agent.hpp"
#include "connection_request/connection_request_server.hpp"
#include "connection_request_test_client.hpp"
#include "cwmp/event_codes.hpp"
#include "io_loop.hpp"
#include "scripted_acs.hpp"
#include "test_model.hpp"

namespace agent {
namespace {

using namespace std::chrono_literals;

// Answers from a script, like ScriptedAcs; while `hold` is set, answers
// wait until release().
class GatedAcs final : public http::ChannelFactory {
public:
    explicit GatedAcs(boost::asio::io_context& io) : io_(io) {}

    std::deque<http::Result> answers;
    std::vector<http::Request> posted;
    bool hold = false;

    std::unique_ptr<http::Channel> open(const http::ChannelSettings&) override {
        return std::make_unique<Channel>(*this);
    }

    void release() {
        hold = false;
        for (auto& deliver : held_) boost::asio::post(io_, std::move(deliver));
        held_.clear();
    }

private:
    class Channel final : public http::Channel {
    public:
        explicit Channel(GatedAcs& acs) : acs_(acs) {}
        void post(http::Request request, http::Completion done) override {
            acs_.posted.push_back(std::move(request));
            http::Result answer = phonecwmp::Unexpected(http::TransportError{"script exhausted"});
            if (!acs_.answers.empty()) {
                answer = std::move(acs_.answers.front());
                acs_.answers.pop_front();
            }
            auto deliver = [done = std::move(done), answer = std::move(answer)] { done(answer); };
            if (acs_.hold) {
                acs_.held_.push_back(std::move(deliver));
            } else {
                boost::asio::post(acs_.io_, std::move(deliver));
            }
        }
        void cancel() override {}

    private:
        GatedAcs& acs_;
    };

    boost::asio::io_context& io_;
    std::vector<std::function<void()>> held_;
};

class ConnectionRequestSessionTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    datamodel::Model model{testing::phone_definitions()};
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    GatedAcs acs{io};
    std::unique_ptr<Agent> agent;
    std::unique_ptr<connection_request::ConnectionRequestServer> server;

    void SetUp() override {
        std::vector<datamodel::ValueWrite> writes{
            {"Device.ManagementServer.URL", "http://acs.invalid/", std::nullopt},
            {"Device.ManagementServer.ConnectionRequestUsername", "acs", std::nullopt},
            {"Device.ManagementServer.ConnectionRequestPassword", "s3cret", std::nullopt}};
        ASSERT_TRUE(model.set_internal(writes).has_value());
        agent = std::make_unique<Agent>(io, model, acs, *codec);
        connection_request::ServerSettings settings;
        settings.listen = {boost::asio::ip::make_address("127.0.0.1"), 0};
        server = std::make_unique<connection_request::ConnectionRequestServer>(
            io, model, settings, [this] { agent->raise(cwmp::event::kConnectionRequest); });
        auto started = server->start();
        ASSERT_TRUE(started) << started.error();
        // The boot session, done.
        acs.answers = {inform_response(), testing::answer(204)};
        agent->start();
        run_until_posted(2);
        ASSERT_TRUE(testing::run_for(io, 50ms));
    }

    void TearDown() override {
        server.reset();
        agent.reset();
    }

    http::Response inform_response() {
        return testing::answer(
            200, codec->encode({{}, cwmp::InformResponse{1}}, cwmp::Namespace::Cwmp10));
    }

    void run_until_posted(std::size_t count) {
        testing::run_until(
            io, [&] { return acs.posted.size() >= count; }, 10s);
        ASSERT_GE(acs.posted.size(), count) << "the agent posted too little in time";
    }

    std::optional<cwmp::Inform> inform_at(std::size_t index) {
        auto decoded = codec->decode(acs.posted.at(index).body);
        if (!decoded || !std::holds_alternative<cwmp::Inform>(decoded->envelope.body)) {
            return std::nullopt;
        }
        return std::get<cwmp::Inform>(decoded->envelope.body);
    }

    std::vector<std::string> codes_at(std::size_t index) {
        std::vector<std::string> codes;
        if (auto inform = inform_at(index)) {
            for (const auto& event : inform->event) codes.push_back(event.event_code);
        }
        return codes;
    }

    long connection_request() {
        return testing::while_serving(
            io, [url = model.value("Device.ManagementServer.ConnectionRequestURL").value_or("")] {
                return testing::curl_digest_get(url, "acs", "s3cret");
            });
    }
};

TEST_F(ConnectionRequestSessionTest, RequestsRaisedTogetherGiveOneSession) {
    acs.answers = {inform_response(), testing::answer(204)};
    agent->raise(cwmp::event::kConnectionRequest);
    agent->raise(cwmp::event::kConnectionRequest);
    agent->raise(cwmp::event::kConnectionRequest);
    run_until_posted(4);
    ASSERT_TRUE(testing::run_for(io, 200ms));
    EXPECT_EQ(acs.posted.size(), 4u) << "exactly one session";
    EXPECT_EQ(codes_at(2), std::vector<std::string>{"6 CONNECTION REQUEST"});
}

TEST_F(ConnectionRequestSessionTest, RequestsDuringASessionKeepItAndAnotherFollows) {
    // First request: the session starts and its Inform waits for its answer.
    acs.hold = true;
    acs.answers = {inform_response(), testing::answer(204), inform_response(),
                   testing::answer(204)};
    EXPECT_EQ(connection_request(), 200);
    run_until_posted(3);
    EXPECT_EQ(codes_at(2), std::vector<std::string>{"6 CONNECTION REQUEST"});

    // Two more while that Inform is unanswered: both answered 200, the
    // session goes on untouched.
    EXPECT_EQ(connection_request(), 200);
    EXPECT_EQ(connection_request(), 200);
    ASSERT_TRUE(testing::run_for(io, 50ms));
    EXPECT_EQ(acs.posted.size(), 3u);

    acs.release();
    run_until_posted(6);
    ASSERT_TRUE(testing::run_for(io, 200ms));
    // The held session went on (empty POST after the InformResponse) ...
    EXPECT_TRUE(acs.posted[3].body.empty());
    // ... and exactly one more session followed, for the later requests.
    ASSERT_EQ(acs.posted.size(), 6u);
    EXPECT_EQ(codes_at(4), std::vector<std::string>{"6 CONNECTION REQUEST"});
    EXPECT_EQ(server->statistics().accepted, 3u);
}

TEST_F(ConnectionRequestSessionTest, WrongPasswordStartsNoSession) {
    const auto url = model.value("Device.ManagementServer.ConnectionRequestURL").value_or("");
    EXPECT_EQ(
        testing::while_serving(io, [url] { return testing::curl_digest_get(url, "acs", "bad"); }),
        401);
    ASSERT_TRUE(testing::run_for(io, 200ms));
    EXPECT_EQ(acs.posted.size(), 2u);
}

}  // namespace
}  // namespace agent
