// An ACS scripted as a list of HTTP answers, for agent tests that need no
// sockets. Answers are delivered through the io_context, as libcurl's are.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <deque>
#include <memory>
#include <vector>

#include "http/http_types.hpp"

namespace agent::testing {

// An ACS scripted as a list of HTTP answers; records what the CPE posted.
class ScriptedAcs final : public http::ChannelFactory {
public:
    explicit ScriptedAcs(boost::asio::io_context& io) : io_(io) {}

    std::deque<http::Result> answers;
    std::vector<http::Request> posted;
    int channels_opened = 0;

    std::unique_ptr<http::Channel> open(const http::ChannelSettings&) override {
        ++channels_opened;
        return std::make_unique<Channel>(*this);
    }

private:
    class Channel final : public http::Channel {
    public:
        explicit Channel(ScriptedAcs& acs) : acs_(acs) {}
        void post(http::Request request, http::Completion done) override {
            acs_.posted.push_back(std::move(request));
            http::Result answer = phonecwmp::Unexpected(http::TransportError{"script exhausted"});
            if (!acs_.answers.empty()) {
                answer = std::move(acs_.answers.front());
                acs_.answers.pop_front();
            }
            boost::asio::post(
                acs_.io_, [done = std::move(done), answer = std::move(answer)] { done(answer); });
        }
        void cancel() override {}

    private:
        ScriptedAcs& acs_;
    };
    boost::asio::io_context& io_;
};

inline http::Response answer(long status, std::string body = {}) {
    http::Response response;
    response.status = status;
    response.body = std::move(body);
    response.content_type = response.body.empty() ? "" : "text/xml";
    return response;
}

}  // namespace agent::testing
