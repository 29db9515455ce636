// ScheduleInform's schedules: wall-clock due times kept in the store,
// delivered as "3 SCHEDULED" + "M ScheduleInform" exactly once.
#include <gtest/gtest.h>

#include <algorithm>

#include "cwmp/event_codes.hpp"
#include "io_loop.hpp"
#include "lifecycle/scheduled_informs.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"

namespace agent::lifecycle {
namespace {

using namespace std::chrono_literals;

class ScheduledInformsTest : public ::testing::Test {
protected:
    testing::TempFolder folder;
    boost::asio::io_context io;
    std::chrono::system_clock::time_point now =
        std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
    ScheduledInforms::Clock clock = [this] { return now; };
    int due_calls = 0;

    std::unique_ptr<datamodel::Model> open_store() {
        auto model =
            datamodel::Model::open(testing::phone_definitions(), folder.path() / "store.sqlite");
        if (!model) throw std::runtime_error(model.error().message);
        return std::move(*model);
    }
    static std::vector<std::pair<std::string, std::string>> events(const datamodel::Model& model) {
        std::vector<std::pair<std::string, std::string>> result;
        for (const auto& event : model.pending_events()) {
            result.emplace_back(event.code, event.command_key);
        }
        return result;
    }
};

TEST_F(ScheduledInformsTest, NothingIsOwedBeforeTheDueTimeAndBothEventsAfter) {
    auto model = open_store();
    ScheduledInforms scheduled(
        io, *model, [this] { ++due_calls; }, clock);
    scheduled.load();
    ASSERT_TRUE(scheduled.add(30s, "in-thirty").has_value());
    now += 29s;
    EXPECT_EQ(scheduled.commit_due(), 0u);
    EXPECT_TRUE(model->pending_events().empty());
    now += 1s;
    EXPECT_EQ(scheduled.commit_due(), 1u);
    using Events = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(events(*model), (Events{{"3 SCHEDULED", ""}, {"M ScheduleInform", "in-thirty"}}));
    EXPECT_EQ(scheduled.outstanding(), 0u);
    EXPECT_FALSE(model->meta(ScheduledInforms::kMetaKey).has_value());
    // Delivered once only.
    EXPECT_EQ(scheduled.commit_due(), 0u);
    EXPECT_EQ(model->pending_events().size(), 2u);
}

TEST_F(ScheduledInformsTest, SeveralDueSchedulesShareOneScheduledEvent) {
    auto model = open_store();
    ScheduledInforms scheduled(
        io, *model, [] {}, clock);
    scheduled.load();
    ASSERT_TRUE(scheduled.add(10s, "a").has_value());
    ASSERT_TRUE(scheduled.add(20s, "b").has_value());
    ASSERT_TRUE(scheduled.add(90s, "c").has_value());
    now += 25s;
    EXPECT_EQ(scheduled.commit_due(), 2u);
    using Events = std::vector<std::pair<std::string, std::string>>;
    EXPECT_EQ(events(*model),
              (Events{{"3 SCHEDULED", ""}, {"M ScheduleInform", "a"}, {"M ScheduleInform", "b"}}));
    EXPECT_EQ(scheduled.outstanding(), 1u);
    // A later one while "3 SCHEDULED" is still undelivered adds only its own.
    now += 90s;
    EXPECT_EQ(scheduled.commit_due(), 1u);
    EXPECT_EQ(model->pending_events().size(), 4u);
    EXPECT_EQ(model->pending_events().back().command_key, "c");
}

TEST_F(ScheduledInformsTest, ScheduleSurvivesARestartAndIsDeliveredWhenDue) {
    {
        auto model = open_store();
        ScheduledInforms scheduled(
            io, *model, [] {}, clock);
        scheduled.load();
        ASSERT_TRUE(scheduled.add(3600s, "after-reboot").has_value());
    }
    auto model = open_store();
    ScheduledInforms scheduled(
        io, *model, [] {}, clock);
    scheduled.load();
    EXPECT_EQ(scheduled.outstanding(), 1u);
    now += 1800s;
    EXPECT_EQ(scheduled.commit_due(), 0u);
    // The device was off past the due time: due at once on the next start.
    now += 7200s;
    EXPECT_EQ(scheduled.commit_due(), 1u);
    EXPECT_EQ(model->pending_events().back().command_key, "after-reboot");
}

TEST_F(ScheduledInformsTest, TimerCallsBackWhenTheScheduleFallsDue) {
    auto model = open_store();
    // The real clock: the shortest delay the RPC allows.
    ScheduledInforms scheduled(io, *model, [this] { ++due_calls; });
    scheduled.load();
    ASSERT_TRUE(scheduled.add(1s, "soon").has_value());
    ASSERT_TRUE(testing::run_until(
        io, [this] { return due_calls > 0; }, 10s));
    EXPECT_EQ(scheduled.commit_due(), 1u);
}

TEST_F(ScheduledInformsTest, DamagedRecordIsDroppedNotFatal) {
    auto model = open_store();
    ASSERT_TRUE(model->set_meta(ScheduledInforms::kMetaKey, "{not json").has_value());
    ScheduledInforms scheduled(
        io, *model, [] {}, clock);
    scheduled.load();
    EXPECT_EQ(scheduled.outstanding(), 0u);
    EXPECT_FALSE(model->meta(ScheduledInforms::kMetaKey).has_value());
    ASSERT_TRUE(model->set_meta(ScheduledInforms::kMetaKey, R"([{"due": "soon"}])").has_value());
    scheduled.load();
    EXPECT_EQ(scheduled.outstanding(), 0u);
}

TEST_F(ScheduledInformsTest, DiscardAllForgetsEverySchedule) {
    auto model = open_store();
    ScheduledInforms scheduled(
        io, *model, [] {}, clock);
    scheduled.load();
    ASSERT_TRUE(scheduled.add(10s, "old-acs").has_value());
    scheduled.discard_all();
    EXPECT_EQ(scheduled.outstanding(), 0u);
    EXPECT_FALSE(model->meta(ScheduledInforms::kMetaKey).has_value());
    now += 60s;
    EXPECT_EQ(scheduled.commit_due(), 0u);
    EXPECT_TRUE(model->pending_events().empty());
}

}  // namespace
}  // namespace agent::lifecycle
