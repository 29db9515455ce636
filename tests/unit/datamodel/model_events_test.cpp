// Pending events kept in the store, and factory reset.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "datamodel/factory.hpp"
#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kFactory = R"xml(<?xml version="1.0"?>
<factory xmlns="urn:phonecwmp:factory-1-0">
  <instance path="Device.Test.Item.3."/>
  <value path="Device.Test.Name">fabric</value>
</factory>
)xml";

class ModelEvents : public ::testing::Test {
protected:
    std::unique_ptr<Model> open() {
        const auto factory = load_factory_string(kFactory, "factory.xml");
        if (!factory) {
            ADD_FAILURE() << factory.error().message;
            return nullptr;
        }
        auto opened = Model::open(definitions_, file_, *factory);
        if (!opened) {
            ADD_FAILURE() << opened.error().message;
            return nullptr;
        }
        return std::move(*opened);
    }

    test::TempDir dir_;
    std::filesystem::path file_ = dir_.path() / "values.db";
    std::shared_ptr<const Definitions> definitions_ = test::test_definitions();
};

TEST_F(ModelEvents, EventsAreCommittedWithTheValuesAndSurviveReopen) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        ASSERT_TRUE(model->apply(ChangeSet{
            .writes = {{"Device.Test.Name", "desk", std::nullopt}},
            .queue_events = {{0, "M Download", "key-1"}, {0, "7 TRANSFER COMPLETE", ""}}}));
        EXPECT_THAT(model->pending_events(),
                    ElementsAre(PendingEvent{1, "M Download", "key-1"},
                                PendingEvent{2, "7 TRANSFER COMPLETE", ""}));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(model->value("Device.Test.Name"), "desk");
    EXPECT_THAT(model->pending_events(), ElementsAre(PendingEvent{1, "M Download", "key-1"},
                                                     PendingEvent{2, "7 TRANSFER COMPLETE", ""}));
    // Dropping one, queueing another: ids keep increasing.
    ASSERT_TRUE(
        model->apply(ChangeSet{.queue_events = {{0, "M Reboot", "r"}}, .drop_events = {1}}));
    EXPECT_THAT(model->pending_events(), ElementsAre(PendingEvent{2, "7 TRANSFER COMPLETE", ""},
                                                     PendingEvent{3, "M Reboot", "r"}));
}

TEST_F(ModelEvents, ARefusedChangeQueuesNoEvent) {
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_FALSE(model->apply(ChangeSet{.writes = {{"Device.Test.Count", "0", std::nullopt}},
                                        .queue_events = {{0, "M Download", "k"}}}));
    EXPECT_THAT(model->pending_events(), IsEmpty());
}

TEST_F(ModelEvents, EventsTravelWithAddObject) {
    const auto model = open();
    ASSERT_TRUE(model);
    ASSERT_TRUE(
        model->add_object("Device.Test.Item.", ChangeSet{.queue_events = {{0, "X EVENT", "a"}}}));
    EXPECT_THAT(model->pending_events(), ElementsAre(PendingEvent{1, "X EVENT", "a"}));
}

TEST_F(ModelEvents, FactoryResetRestoresTheFactoryStateDurably) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
        EXPECT_EQ(model->value("Device.Test.Name"), "fabric");
        ASSERT_TRUE(model->set_values({{"Device.Test.Name", "desk", std::nullopt},
                                       {"Device.Test.Count", "42", std::nullopt}}));
        ASSERT_EQ(model->add_object("Device.Test.Item.").value(), 4u);
        ASSERT_TRUE(model->set_attributes({{"Device.Test.Name", 2, std::nullopt}}));
        ASSERT_TRUE(model->set_meta("agent.key", "v"));
        ASSERT_TRUE(model->apply(ChangeSet{.queue_events = {{0, "M Reboot", "r"}}}));

        std::vector<ParameterChange> seen;
        std::vector<std::pair<std::string, ObjectChange>> objects;
        model->observe_subtree("", [&](const CommittedChanges& changes) {
            seen = changes.parameters;
            objects = changes.objects;
        });
        ASSERT_TRUE(model->factory_reset());
        EXPECT_TRUE(model->freshly_created());
        EXPECT_EQ(model->value("Device.Test.Name"), "fabric");
        EXPECT_EQ(model->value("Device.Test.Count"), "10");
        EXPECT_EQ(model->value("Device.Test.ItemNumberOfEntries"), "1");
        EXPECT_EQ(model->get_attributes({"Device.Test.Name"})->front().attributes.notification, 0);
        EXPECT_EQ(model->meta("agent.key"), std::nullopt);
        EXPECT_THAT(model->pending_events(), IsEmpty());
        EXPECT_THAT(objects, ElementsAre(std::pair<std::string, ObjectChange>{
                                 "Device.Test.Item.4.", ObjectChange::Removed}));
        EXPECT_THAT(
            seen, ElementsAre(ParameterChange{"Device.Test.Count", "10", ChangeSource::Device},
                              ParameterChange{"Device.Test.Name", "fabric", ChangeSource::Device}));
    }
    const auto model = open();
    ASSERT_TRUE(model);
    EXPECT_EQ(model->value("Device.Test.Name"), "fabric");
    EXPECT_EQ(model->value("Device.Test.ItemNumberOfEntries"), "1");
    EXPECT_EQ(model->meta("agent.key"), std::nullopt);
    EXPECT_THAT(model->pending_events(), IsEmpty());
    // Instance numbering starts again after the factory's instances.
    EXPECT_EQ(model->add_object("Device.Test.Item.").value(), 4u);
}

TEST_F(ModelEvents, AStoreOfSchemaTwoGainsTheEventsTable) {
    {
        const auto model = open();
        ASSERT_TRUE(model);
    }
    test::run_sql(file_, "DROP TABLE pending_events; PRAGMA user_version=2;");
    const auto model = open();
    ASSERT_TRUE(model);
    ASSERT_TRUE(model->apply(ChangeSet{.queue_events = {{0, "M Reboot", "r"}}}));
    EXPECT_EQ(test::query_text(file_, "PRAGMA user_version"), "3");
    EXPECT_EQ(test::query_text(file_, "SELECT code FROM pending_events"), "M Reboot");
}

}  // namespace
}  // namespace datamodel
