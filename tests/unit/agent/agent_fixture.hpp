// The common ground of the Agent tests: a real store in a temporary folder,
// a scripted ACS, and helpers to run the io_context until the agent has
// posted enough and to read back what it posted.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cwmp/codec.hpp"
#include "datamodel/model.hpp"
#include "io_loop.hpp"
#include "scripted_acs.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"

namespace agent::testing {

class AgentFixture : public ::testing::Test {
protected:
    TempFolder folder;
    boost::asio::io_context io;
    std::unique_ptr<cwmp::Codec> codec = cwmp::make_codec();
    ScriptedAcs acs{io};

    std::unique_ptr<datamodel::Model> open_store() {
        auto model = datamodel::Model::open(phone_definitions(), folder.path() / "store.sqlite");
        if (!model) throw std::runtime_error(model.error().message);
        return std::move(*model);
    }

    // Values set by the device itself (local configuration).
    static void configure(datamodel::Model& model,
                          std::vector<std::pair<std::string, std::string>> values) {
        std::vector<datamodel::ValueWrite> writes;
        for (auto& [path, value] : values) writes.push_back({path, value, std::nullopt});
        ASSERT_TRUE(model.set_internal(writes).has_value());
    }

    http::Response soap(const cwmp::Envelope& envelope) {
        return answer(200, codec->encode(envelope, cwmp::Namespace::Cwmp10));
    }
    http::Response inform_response() { return soap({{}, cwmp::InformResponse{1}}); }

    // Runs the io_context until `count` messages were posted (bounded).
    void run_until_posted(std::size_t count, std::chrono::seconds limit) {
        run_until(
            io, [&] { return acs.posted.size() >= count; }, limit);
        // Let the last answer be processed.
        io.poll();
        ASSERT_GE(acs.posted.size(), count) << "the agent posted too little in time";
    }

    cwmp::Inform inform_at(std::size_t index) {
        auto decoded = codec->decode(acs.posted.at(index).body);
        EXPECT_TRUE(decoded.has_value());
        if (!decoded || !std::holds_alternative<cwmp::Inform>(decoded->envelope.body)) {
            ADD_FAILURE() << "message " << index << " is not an Inform";
            return {};
        }
        return std::get<cwmp::Inform>(decoded->envelope.body);
    }
};

}  // namespace agent::testing
