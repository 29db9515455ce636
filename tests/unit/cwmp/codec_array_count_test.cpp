// The codec never trusts SOAP-ENC:arrayType: it neither allocates what the
// attribute declares nor drops what it does not declare.
#include <gtest/gtest.h>

#include "allocation_counter.hpp"
#include "cwmp/codec.hpp"
#include "envelope_text.hpp"

namespace cwmp {
namespace {

std::string spv_with(std::string_view array_type, int items) {
    std::string list;
    for (int i = 0; i < items; ++i) {
        list += "<ParameterValueStruct><Name>Device.P" + std::to_string(i) +
                "</Name><Value xsi:type=\"xsd:string\">v" + std::to_string(i) +
                "</Value></ParameterValueStruct>";
    }
    return test::soap_envelope("<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"" +
                                   std::string(array_type) + "\">" + list +
                                   "</ParameterList><ParameterKey/></cwmp:SetParameterValues>",
                               test::id_header("1"));
}

std::size_t decoded_items(Codec& codec, const std::string& text) {
    const auto decoded = codec.decode(text);
    if (!decoded) {
        ADD_FAILURE() << to_string(decoded.error().kind) << ": " << decoded.error().detail;
        return 0;
    }
    return std::get<SetParameterValues>(decoded->envelope.body).parameter_list.size();
}

TEST(ArrayCount, HugeDeclaredCountIsNotAllocated) {
    const std::string text = spv_with("cwmp:ParameterValueStruct[99999]", 1);
    ASSERT_LT(text.size(), 1000u);
    auto codec = make_codec();
    // Warm up: whatever the context allocates once is not the message's.
    ASSERT_EQ(decoded_items(*codec, spv_with("cwmp:ParameterValueStruct[1]", 1)), 1u);

    std::size_t items = 0;
    std::size_t peak = 0;
    {
        test::AllocationPeak measure;
        items = decoded_items(*codec, text);
        peak = measure.peak_bytes();
    }
    EXPECT_EQ(items, 1u);
    // Allocating for the declared count would take at least
    // 99,999 * sizeof(ParameterValue) bytes (several MB); one item takes a
    // few kilobytes at most.
    const std::size_t declared = 99999 * sizeof(ParameterValue);
    EXPECT_LT(peak, declared / 100) << "peak " << peak << " bytes";
    EXPECT_LT(peak, 64u * 1024u) << "peak " << peak << " bytes";
}

TEST(ArrayCount, PeakGrowsWithRealItemsNotDeclaredOnes) {
    auto codec = make_codec();
    ASSERT_EQ(decoded_items(*codec, spv_with("cwmp:ParameterValueStruct[1]", 1)), 1u);
    const auto peak_of = [&](std::string_view array_type, int items) {
        const std::string text = spv_with(array_type, items);
        test::AllocationPeak measure;
        EXPECT_EQ(decoded_items(*codec, text), static_cast<std::size_t>(items));
        return measure.peak_bytes();
    };
    const std::size_t honest = peak_of("cwmp:ParameterValueStruct[3]", 3);
    const std::size_t lying = peak_of("cwmp:ParameterValueStruct[2000000000]", 3);
    EXPECT_GT(honest, 0u);
    EXPECT_LT(lying, honest * 2) << "honest " << honest << ", lying " << lying;
}

TEST(ArrayCount, MoreItemsThanDeclaredAreAllKept) {
    auto codec = make_codec();
    EXPECT_EQ(decoded_items(*codec, spv_with("cwmp:ParameterValueStruct[1]", 2)), 2u);
    EXPECT_EQ(decoded_items(*codec, spv_with("cwmp:ParameterValueStruct[0]", 5)), 5u);
}

TEST(ArrayCount, FewerItemsThanDeclaredAreNotPadded) {
    auto codec = make_codec();
    EXPECT_EQ(decoded_items(*codec, spv_with("cwmp:ParameterValueStruct[16]", 7)), 7u);
    EXPECT_EQ(decoded_items(*codec, spv_with("cwmp:ParameterValueStruct[5]", 0)), 0u);
}

TEST(ArrayCount, NonsenseDeclarationsAreIgnored) {
    auto codec = make_codec();
    for (const auto* array_type :
         {"cwmp:ParameterValueStruct[-1]", "cwmp:ParameterValueStruct[]",
          "cwmp:ParameterValueStruct[1,1]", "cwmp:ParameterValueStruct[99999999999999999999]",
          "garbage", ""}) {
        EXPECT_EQ(decoded_items(*codec, spv_with(array_type, 2)), 2u) << array_type;
    }
}

TEST(ArrayCount, MissingArrayTypeIsAccepted) {
    auto codec = make_codec();
    const std::string text = test::soap_envelope(
        "<cwmp:GetParameterValues><ParameterNames><string>A.</string><string>B</string>"
        "</ParameterNames></cwmp:GetParameterValues>");
    const auto decoded = codec->decode(text);
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(std::get<GetParameterValues>(decoded->envelope.body).parameter_names,
              (std::vector<std::string>{"A.", "B"}));
}

}  // namespace
}  // namespace cwmp
