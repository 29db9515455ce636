#include "cwmp/messages.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <variant>

#include "sample_envelopes.hpp"

namespace cwmp {
namespace {

TEST(MessageNames, NamesOfSomeBodies) {
    EXPECT_EQ(method_name(Body{GetRPCMethods{}}), "GetRPCMethods");
    EXPECT_EQ(method_name(Body{GetParameterValuesResponse{}}), "GetParameterValuesResponse");
    EXPECT_EQ(method_name(Body{Inform{}}), "Inform");
    EXPECT_EQ(method_name(Body{TransferCompleteResponse{}}), "TransferCompleteResponse");
    EXPECT_EQ(method_name(Body{Fault{}}), "Fault");
}

template <std::size_t... I>
std::set<std::string> all_names(std::index_sequence<I...>) {
    return {std::string(method_name(Body{std::in_place_index<I>}))...};
}

TEST(MessageNames, EveryAlternativeHasItsOwnName) {
    const auto names = all_names(std::make_index_sequence<std::variant_size_v<Body>>{});
    EXPECT_EQ(names.size(), std::variant_size_v<Body>);
    for (const auto& name : names) {
        EXPECT_FALSE(name.empty());
    }
}

TEST(MessageNames, ResponsesAreNamedAfterTheirRequest) {
    EXPECT_EQ(method_name(Body{SetParameterAttributesResponse{}}),
              std::string(method_name(Body{SetParameterAttributes{}})) + "Response");
    EXPECT_EQ(method_name(Body{GetAllQueuedTransfersResponse{}}),
              std::string(method_name(Body{GetAllQueuedTransfers{}})) + "Response");
    EXPECT_EQ(method_name(Body{InformResponse{}}),
              std::string(method_name(Body{Inform{}})) + "Response");
}

}  // namespace
}  // namespace cwmp
