#include "session/event_queue.hpp"

#include <gtest/gtest.h>

#include "cwmp/event_codes.hpp"
#include "temp_folder.hpp"
#include "test_model.hpp"

namespace agent {
namespace {

// A model in memory: nothing persists, but pending events work the same.
struct QueueFixture {
    datamodel::Model model{testing::phone_definitions()};
};

TEST(EventQueue, SingleEventsAreQueuedOnce) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    queue.add(cwmp::event::kPeriodic);
    queue.add(cwmp::event::kPeriodic);
    ASSERT_EQ(queue.events().size(), 1u);
}

TEST(EventQueue, MultipleEventsAreQueuedPerCommandKey) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    queue.add(cwmp::event::kMReboot, "a");
    queue.add(cwmp::event::kMReboot, "b");
    queue.add(cwmp::event::kMReboot, "a");
    ASSERT_EQ(queue.events().size(), 2u);
}

TEST(EventQueue, BootstrapAndBootComeFirst) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    queue.add(cwmp::event::kPeriodic);
    queue.add(cwmp::event::kBoot);
    queue.add(cwmp::event::kBootstrap);
    const auto events = queue.for_inform();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].event_code, cwmp::event::kBoot);
    EXPECT_EQ(events[1].event_code, cwmp::event::kBootstrap);
    EXPECT_EQ(events[2].event_code, cwmp::event::kPeriodic);
}

TEST(EventQueue, DeliveredEventsAreForgottenOthersKept) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    queue.add(cwmp::event::kBoot);
    const auto sent = queue.for_inform();
    queue.add(cwmp::event::kPeriodic);  // raised while the session ran
    queue.delivered(sent);
    ASSERT_EQ(queue.events().size(), 1u);
    EXPECT_EQ(queue.events()[0].event_code, cwmp::event::kPeriodic);
}

TEST(EventQueue, ConnectionRequestIsNeverRetried) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    queue.add(cwmp::event::kBootstrap);
    queue.add(cwmp::event::kConnectionRequest);
    queue.session_failed();
    EXPECT_TRUE(queue.contains(cwmp::event::kBootstrap));
    EXPECT_FALSE(queue.contains(cwmp::event::kConnectionRequest));
}

TEST(EventQueue, AnInformCarriesAtMost64Events) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    for (int i = 0; i < 100; ++i) {
        queue.add(cwmp::event::kMDownload, std::to_string(i));
    }
    EXPECT_EQ(queue.for_inform().size(), 64u);
}

std::unique_ptr<datamodel::Model> open_store(const std::filesystem::path& file) {
    auto opened = datamodel::Model::open(testing::phone_definitions(), file);
    if (!opened) throw std::runtime_error(opened.error().message);
    return std::move(*opened);
}

TEST(EventQueue, EventsThatSurviveRebootsAreStoredUntilDelivered) {
    testing::TempFolder folder;
    const auto file = folder.path() / "state.db";
    {
        const auto model = open_store(file);
        EventQueue queue(*model);
        queue.add(cwmp::event::kBoot);
        queue.add(cwmp::event::kPeriodic);
        queue.add(cwmp::event::kConnectionRequest);
        queue.add(cwmp::event::kTransferComplete);
        queue.add(cwmp::event::kMDownload, "dl-1");
        queue.add(cwmp::event::kMReboot, "r");
        EXPECT_EQ(model->pending_events().size(), 3u);
    }
    const auto model = open_store(file);
    EventQueue queue(*model);
    const std::vector<cwmp::EventStruct> expected = {
        {std::string(cwmp::event::kTransferComplete), ""},
        {std::string(cwmp::event::kMDownload), "dl-1"},
        {std::string(cwmp::event::kMReboot), "r"}};
    EXPECT_EQ(queue.events(), expected);
    // The ACS acknowledged two of them.
    queue.delivered({expected[0], expected[1]});
    const auto reopened = open_store(folder.path() / "state.db");
    ASSERT_EQ(reopened->pending_events().size(), 1u);
    EXPECT_EQ(reopened->pending_events()[0].code, cwmp::event::kMReboot);
}

TEST(EventQueue, ANewAcsGetsNoneOfTheOldOnesEvents) {
    testing::TempFolder folder;
    const auto model = open_store(folder.path() / "state.db");
    EventQueue queue(*model);
    queue.add(cwmp::event::kBoot);
    queue.add(cwmp::event::kTransferComplete);
    queue.add(cwmp::event::kMDownload, "dl-1");
    queue.add(cwmp::event::kScheduled);
    queue.discard_for_new_acs();
    EXPECT_EQ(queue.events(),
              (std::vector<cwmp::EventStruct>{{std::string(cwmp::event::kBoot), ""}}));
    EXPECT_TRUE(model->pending_events().empty());
}

TEST(EventQueue, EventsCommittedWithAChangeAreAdopted) {
    QueueFixture fixture;
    EventQueue queue(fixture.model);
    ASSERT_TRUE(fixture.model.apply(
        datamodel::ChangeSet{.queue_events = {EventQueue::stored(cwmp::event::kMReboot, "key")}}));
    queue.adopt_committed();
    queue.adopt_committed();  // twice: still once
    EXPECT_EQ(queue.events(),
              (std::vector<cwmp::EventStruct>{{std::string(cwmp::event::kMReboot), "key"}}));
}

TEST(EventQueue, WhichEventsSurviveAReboot) {
    EXPECT_TRUE(survives_reboot(cwmp::event::kTransferComplete));
    EXPECT_TRUE(survives_reboot(cwmp::event::kScheduled));
    EXPECT_TRUE(survives_reboot(cwmp::event::kMScheduleInform));
    EXPECT_FALSE(survives_reboot(cwmp::event::kBoot));
    EXPECT_FALSE(survives_reboot(cwmp::event::kBootstrap));
    EXPECT_FALSE(survives_reboot(cwmp::event::kPeriodic));
    EXPECT_FALSE(survives_reboot(cwmp::event::kValueChange));
    EXPECT_FALSE(survives_reboot(cwmp::event::kConnectionRequest));
}

}  // namespace
}  // namespace agent
