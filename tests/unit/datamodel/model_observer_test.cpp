// Subtree observers: one call per committed transaction, with the changes
// below the subtree and who made them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "datamodel/model.hpp"
#include "test_support.hpp"

namespace datamodel {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class ModelObserver : public ::testing::Test {
protected:
    void SetUp() override {
        model_.observe_subtree("Device.Test.Item.", [this](const CommittedChanges& changes) {
            batches_.push_back(changes);
        });
    }
    Model model_{test::test_definitions()};
    std::vector<CommittedChanges> batches_;
};

TEST_F(ModelObserver, OneCallPerTransactionWithOnlyTheSubtree) {
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    ASSERT_EQ(batches_.size(), 1u);
    EXPECT_THAT(batches_[0].objects, ElementsAre(std::pair<std::string, ObjectChange>{
                                         "Device.Test.Item.1.", ObjectChange::Added}));
    // The new instance's parameters, made by the controller; the entry count
    // lives outside the subtree.
    EXPECT_THAT(
        batches_[0].parameters,
        ElementsAre(
            ParameterChange{"Device.Test.Item.1.Alias", "cpe-1", ChangeSource::Controller},
            ParameterChange{"Device.Test.Item.1.Enable", "true", ChangeSource::Controller}));

    ASSERT_TRUE(model_.apply(
        ChangeSet{.writes = {{"Device.Test.Item.1.Enable", "false", std::nullopt},
                             {"Device.Test.Name", "desk", std::nullopt}},
                  .internal_writes = {{"Device.Test.Item.1.Alias", "desk-1", std::nullopt}}}));
    ASSERT_EQ(batches_.size(), 2u);
    EXPECT_THAT(batches_[1].objects, IsEmpty());
    EXPECT_THAT(
        batches_[1].parameters,
        ElementsAre(ParameterChange{"Device.Test.Item.1.Enable", "false", ChangeSource::Controller},
                    ParameterChange{"Device.Test.Item.1.Alias", "desk-1", ChangeSource::Device}));
}

TEST_F(ModelObserver, NotCalledWhenNothingBelowChanged) {
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "desk", std::nullopt}}));
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    batches_.clear();
    // The same value again changes nothing.
    ASSERT_TRUE(model_.set_values({{"Device.Test.Item.1.Enable", "true", std::nullopt}}));
    EXPECT_THAT(batches_, IsEmpty());
}

TEST_F(ModelObserver, DeletionIsReportedAsAnObjectChange) {
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    batches_.clear();
    ASSERT_TRUE(model_.delete_object("Device.Test.Item.1."));
    ASSERT_EQ(batches_.size(), 1u);
    EXPECT_THAT(batches_[0].objects, ElementsAre(std::pair<std::string, ObjectChange>{
                                         "Device.Test.Item.1.", ObjectChange::Removed}));
}

TEST_F(ModelObserver, ARefusedTransactionTellsNobody) {
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    batches_.clear();
    EXPECT_FALSE(model_.set_values({{"Device.Test.Item.1.Enable", "false", std::nullopt},
                                    {"Device.Test.Count", "0", std::nullopt}}));
    EXPECT_THAT(batches_, IsEmpty());
}

TEST_F(ModelObserver, ALiveValueChangeReachesObserversAsTheDevicesChange) {
    ASSERT_TRUE(model_.add_object("Device.Test.Item."));
    std::string live = "false";
    ASSERT_TRUE(model_.register_parameter(
        "Device.Test.Item.{i}.Enable",
        {.get = [&live](const std::string&) { return live; }, .validate = {}}));
    batches_.clear();
    live = "true";
    model_.live_value_changed("Device.Test.Item.1.Enable");
    model_.live_value_changed("Device.Test.Item.9.Enable");  // no such instance: ignored
    ASSERT_EQ(batches_.size(), 1u);
    EXPECT_THAT(batches_[0].parameters, ElementsAre(ParameterChange{"Device.Test.Item.1.Enable",
                                                                    "true", ChangeSource::Device}));
}

TEST_F(ModelObserver, AnObserverMayWriteToTheModel) {
    Model& model = model_;
    model_.observe_subtree("Device.Test.Name", [&model](const CommittedChanges&) {
        ASSERT_TRUE(model.set_internal({{"Device.Test.Code", "seen", std::nullopt}}));
    });
    ASSERT_TRUE(model_.set_values({{"Device.Test.Name", "desk", std::nullopt}}));
    EXPECT_EQ(model_.value("Device.Test.Code"), "seen");
}

}  // namespace
}  // namespace datamodel

namespace datamodel {
namespace {

TEST(ModelObserverLifetime, AStoppedObserverIsNotCalledAgain) {
    Model model{test::test_definitions()};
    int changes = 0, objects = 0, subtree = 0;
    const auto change_id =
        model.observe([&](const std::string&, const std::string&) { ++changes; });
    const auto object_id =
        model.observe_objects([&](const std::string&, ObjectChange) { ++objects; });
    const auto subtree_id =
        model.observe_subtree("Device.Test.", [&](const CommittedChanges&) { ++subtree; });
    ASSERT_TRUE(model.add_object("Device.Test.Item."));
    EXPECT_GT(changes, 0);
    EXPECT_EQ(objects, 1);
    EXPECT_EQ(subtree, 1);
    model.stop_observing(change_id);
    model.stop_observing(object_id);
    model.stop_observing(subtree_id);
    const int changes_before = changes;
    ASSERT_TRUE(model.add_object("Device.Test.Item."));
    EXPECT_EQ(changes, changes_before);
    EXPECT_EQ(objects, 1);
    EXPECT_EQ(subtree, 1);
}

TEST(ModelObserverLifetime, AnObserverStoppedByAnEarlierOneInTheSameCommitIsSkipped) {
    Model model{test::test_definitions()};
    int second_calls = 0;
    std::optional<ObserverId> second;
    model.observe_subtree("Device.Test.", [&](const CommittedChanges&) {
        if (second) model.stop_observing(*second);
    });
    second =
        model.observe_subtree("Device.Test.", [&](const CommittedChanges&) { ++second_calls; });
    ASSERT_TRUE(model.add_object("Device.Test.Item."));
    EXPECT_EQ(second_calls, 0);
}

TEST(ModelObserverLifetime, ObservationsStopWithTheirOwner) {
    Model model{test::test_definitions()};
    int calls = 0;
    {
        Observations observations(model);
        observations.add(
            model.observe_subtree("Device.Test.", [&](const CommittedChanges&) { ++calls; }));
        observations.add(model.observe([&](const std::string&, const std::string&) { ++calls; }));
        ASSERT_TRUE(model.add_object("Device.Test.Item."));
        EXPECT_GT(calls, 0);
    }
    const int before = calls;
    ASSERT_TRUE(model.add_object("Device.Test.Item."));
    EXPECT_EQ(calls, before);
}

}  // namespace
}  // namespace datamodel
