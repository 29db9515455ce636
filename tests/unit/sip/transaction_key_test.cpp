#include "sip/transaction_key.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "sample_messages.hpp"
#include "sip/message_parser.hpp"

namespace agent::sip {
namespace {

SipMessage parsed(const std::string& bytes) {
    auto message = parse_sip_message(bytes);
    EXPECT_TRUE(message.has_value()) << message.error().message;
    return *message;
}

ServerTransactionKey key_of(const std::string& bytes) {
    auto key = server_transaction_key(parsed(bytes));
    EXPECT_TRUE(key.has_value()) << key.error().message;
    return *key;
}

std::string with_replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

TEST(TransactionKey, Rfc3261MatchesOnBranchSentByAndMethod) {
    const std::string invite = test::minimal_request("INVITE", "z9hG4bKabc");
    const ServerTransactionKey key = key_of(invite);
    EXPECT_TRUE(key.rfc3261);
    EXPECT_EQ(key.branch, "z9hG4bKabc");
    EXPECT_EQ(key.sent_by, "proxy.example.com:5060");
    EXPECT_EQ(key.method, "INVITE");

    // A retransmission is the same transaction, whatever else changed.
    EXPECT_EQ(key_of(with_replaced(invite, "Max-Forwards: 70", "Max-Forwards: 69")), key);
    // The ACK for a non-2xx has the INVITE's branch and matches it.
    EXPECT_EQ(key_of(test::minimal_request("ACK", "z9hG4bKabc")), key);
    // Host case does not matter; the port does.
    EXPECT_EQ(key_of(with_replaced(invite, "proxy.example.com:5060", "PROXY.example.COM:5060")),
              key);
    EXPECT_NE(key_of(with_replaced(invite, "proxy.example.com:5060", "proxy.example.com:5070")),
              key);
    EXPECT_NE(key_of(test::minimal_request("INVITE", "z9hG4bKabd")), key);
    // Same branch, different method: a different transaction (e.g. CANCEL).
    const ServerTransactionKey cancel = key_of(test::minimal_request("CANCEL", "z9hG4bKabc"));
    EXPECT_NE(cancel, key);
    EXPECT_EQ(cancel.method, "CANCEL");
    auto target = cancelled_invite_key(parsed(test::minimal_request("CANCEL", "z9hG4bKabc")));
    ASSERT_TRUE(target.has_value());
    EXPECT_EQ(*target, key);
}

TEST(TransactionKey, Rfc2543FallbackUsesDialogFields) {
    const std::string invite = test::minimal_request("INVITE", "old-1");
    const ServerTransactionKey key = key_of(invite);
    EXPECT_FALSE(key.rfc3261);
    EXPECT_EQ(key.call_id, "call-old-1@proxy.example.com");
    EXPECT_EQ(key.from_tag, "p1");
    EXPECT_EQ(key.cseq_number, 5u);
    EXPECT_EQ(key.request_uri, "sip:phone@192.0.2.20");

    // The ACK carries the To tag of our response and still matches.
    std::string ack = test::minimal_request("ACK", "old-1");
    ack = with_replaced(ack, "To: <sip:phone@example.com>", "To: <sip:phone@example.com>;tag=ours");
    EXPECT_EQ(key_of(ack), key);
    // Different CSeq number or From tag: another transaction.
    EXPECT_NE(key_of(with_replaced(invite, "CSeq: 5", "CSeq: 6")), key);
    EXPECT_NE(key_of(with_replaced(invite, "tag=p1", "tag=p2")), key);
    // For non-INVITE requests the To tag is part of the key.
    const std::string bye = test::minimal_request("BYE", "old-2");
    EXPECT_NE(key_of(with_replaced(bye, "To: <sip:phone@example.com>",
                                   "To: <sip:phone@example.com>;tag=x")),
              key_of(bye));
    auto target = cancelled_invite_key(parsed(test::minimal_request("CANCEL", "old-1")));
    ASSERT_TRUE(target.has_value());
    EXPECT_EQ(*target, key);
}

TEST(TransactionKey, UsableInHashedContainers) {
    std::unordered_set<ServerTransactionKey, ServerTransactionKeyHash> keys;
    keys.insert(key_of(test::minimal_request("INVITE", "z9hG4bK1")));
    keys.insert(key_of(test::minimal_request("ACK", "z9hG4bK1")));
    keys.insert(key_of(test::minimal_request("OPTIONS", "z9hG4bK1")));
    keys.insert(key_of(test::minimal_request("INVITE", "legacy")));
    EXPECT_EQ(keys.size(), 3u);
}

TEST(TransactionKey, RejectsResponsesAndNonCancel) {
    EXPECT_FALSE(server_transaction_key(parsed(test::unauthorized_401())).has_value());
    EXPECT_FALSE(
        cancelled_invite_key(parsed(test::minimal_request("BYE", "z9hG4bK2"))).has_value());
}

}  // namespace
}  // namespace agent::sip
