// The compact records of finished server transactions: lookup, expiry on
// one timer, the capacity bound, and what one record costs in memory.
#include "sip/completed_transaction_table.hpp"

#include <gtest/gtest.h>
#include <malloc.h>

#include <cstdio>
#include <memory>

#include "fake_transaction_timers.hpp"

namespace agent::sip {
namespace {

using namespace std::chrono_literals;
using Kind = CompletedTransactionTable::Kind;

ServerTransactionKey key_of(int n) {
    ServerTransactionKey key;
    key.branch = "z9hG4bK-" + std::to_string(n) + "-1b3f5e7a9c";
    key.sent_by = "192.0.2.10:5060";
    key.method = "INVITE";
    return key;
}

class CompletedTransactionTableTest : public ::testing::Test {
protected:
    std::unique_ptr<CompletedTransactionTable> make(std::size_t capacity) {
        return std::make_unique<CompletedTransactionTable>(
            timers, [this] { return timers.now(); }, capacity);
    }
    test::FakeTransactionTimers timers;
};

TEST_F(CompletedTransactionTableTest, RecordsAreFoundUntilTheirDeadline) {
    auto table = make(8);
    ASSERT_TRUE(table->insert(key_of(1), Kind::CompletedNonInvite, 200, "tag1", 32000ms));
    ASSERT_TRUE(table->insert(key_of(2), Kind::ConfirmedInvite, 0, {}, 5000ms));
    const auto* record = table->find(key_of(1));
    ASSERT_NE(record, nullptr);
    EXPECT_EQ(record->status, 200);
    EXPECT_EQ(record->to_tag, "tag1");
    EXPECT_EQ(record->kind, Kind::CompletedNonInvite);
    EXPECT_EQ(table->find(key_of(3)), nullptr);
    auto other_method = key_of(1);
    other_method.method = "BYE";
    EXPECT_EQ(table->find(other_method), nullptr);

    // The shorter lifetime, inserted later, still ends first.
    timers.advance(5000ms);
    EXPECT_EQ(table->find(key_of(2)), nullptr);
    EXPECT_NE(table->find(key_of(1)), nullptr);
    EXPECT_EQ(table->size(), 1u);
    timers.advance(27000ms);
    EXPECT_EQ(table->size(), 0u);
    EXPECT_EQ(timers.running(), 0u) << "no timer left once the table is empty";
}

TEST_F(CompletedTransactionTableTest, OneTimerServesEveryRecord) {
    auto table = make(1000);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_TRUE(table->insert(key_of(i), Kind::AcceptedInvite, 200, {}, 32000ms));
    }
    EXPECT_EQ(timers.running(), 1u);
    EXPECT_FALSE(table->insert(key_of(1000), Kind::AcceptedInvite, 200, {}, 32000ms)) << "full";
    timers.advance(32000ms);
    EXPECT_EQ(table->size(), 0u);
    EXPECT_TRUE(table->insert(key_of(1000), Kind::AcceptedInvite, 200, {}, 32000ms));
}

TEST_F(CompletedTransactionTableTest, AReplacedRecordKeepsItsNewDeadline) {
    auto table = make(8);
    ASSERT_TRUE(table->insert(key_of(1), Kind::ConfirmedInvite, 0, {}, 5000ms));
    timers.advance(4000ms);
    ASSERT_TRUE(table->insert(key_of(1), Kind::CompletedNonInvite, 481, {}, 32000ms));
    timers.advance(2000ms);
    ASSERT_NE(table->find(key_of(1)), nullptr) << "the old deadline did not remove it";
    EXPECT_EQ(table->find(key_of(1))->status, 481);
    table->clear();
    EXPECT_EQ(table->size(), 0u);
    EXPECT_EQ(timers.running(), 0u);
}

// Measures (and bounds) the heap a record holds: docs/sip.md states the
// memory bound of the table from this figure.
TEST_F(CompletedTransactionTableTest, ARecordCostsAtMost128Bytes) {
    constexpr int kRecords = 20000;
    auto table = make(kRecords);
    const auto before = mallinfo2().uordblks;
    for (int i = 0; i < kRecords; ++i) {
        ASSERT_TRUE(
            table->insert(key_of(i), Kind::CompletedNonInvite, 200, "5f3a9c21e4b7", 32000ms));
    }
    const auto after = mallinfo2().uordblks;
    const double per_record = static_cast<double>(after - before) / kRecords;
    std::printf("completed transaction record: %.1f bytes (heap, %d records)\n", per_record,
                kRecords);
    EXPECT_LE(per_record, 128.0);
}

}  // namespace
}  // namespace agent::sip
