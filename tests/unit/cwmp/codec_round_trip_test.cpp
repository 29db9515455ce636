// Encode then decode gives back the same envelope, for every message, in
// every namespace; and what the encoder writes follows TR-069's conventions.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <variant>

#include "cwmp/codec.hpp"
#include "sample_envelopes.hpp"

namespace cwmp {
namespace {

constexpr Namespace kAllNamespaces[] = {Namespace::Cwmp10, Namespace::Cwmp11, Namespace::Cwmp12,
                                        Namespace::Cwmp13, Namespace::Cwmp14};

std::string describe(const DecodeError& error) {
    return std::string(to_string(error.kind)) + ": " + error.detail;
}

TEST(SampleEnvelopes, CoverEveryBodyAlternative) {
    std::set<std::size_t> covered;
    for (const auto& sample : test::sample_envelopes()) {
        covered.insert(sample.envelope.body.index());
    }
    for (std::size_t i = 0; i < std::variant_size_v<Body>; ++i) {
        EXPECT_TRUE(covered.count(i)) << "no sample for Body alternative number " << i;
    }
}

class RoundTrip : public ::testing::TestWithParam<std::tuple<std::size_t, Namespace>> {};

TEST_P(RoundTrip, DecodeOfEncodeIsIdentity) {
    const auto [index, ns] = GetParam();
    const test::Sample sample = test::sample_envelopes().at(index);
    auto codec = make_codec();
    const std::string text = codec->encode(sample.envelope, ns);
    const auto decoded = codec->decode(text);
    ASSERT_TRUE(decoded.has_value()) << describe(decoded.error()) << "\n" << text;
    EXPECT_EQ(decoded->ns, ns);
    EXPECT_EQ(decoded->envelope.header, sample.envelope.header) << text;
    EXPECT_EQ(decoded->envelope.body, sample.envelope.body) << text;
    EXPECT_EQ(method_name(decoded->envelope.body), method_name(sample.envelope.body));
}

std::string round_trip_name(
    const ::testing::TestParamInfo<std::tuple<std::size_t, Namespace>>& info) {
    static const auto samples = test::sample_envelopes();
    const auto [index, ns] = info.param;
    const std::string uri(namespace_uri(ns));
    return samples.at(index).name + "_cwmp1" + uri.substr(uri.size() - 1);
}

INSTANTIATE_TEST_SUITE_P(
    EveryMessage, RoundTrip,
    ::testing::Combine(::testing::Range<std::size_t>(0, test::sample_envelopes().size()),
                       ::testing::ValuesIn(kAllNamespaces)),
    round_trip_name);

TEST(RoundTrip, OneCodecServesManyCallsInTurn) {
    auto codec = make_codec();
    for (int pass = 0; pass < 3; ++pass) {
        for (const auto& sample : test::sample_envelopes()) {
            for (const auto ns : kAllNamespaces) {
                const auto decoded = codec->decode(codec->encode(sample.envelope, ns));
                ASSERT_TRUE(decoded.has_value()) << sample.name << " " << describe(decoded.error());
                EXPECT_EQ(decoded->ns, ns) << sample.name;
                EXPECT_EQ(decoded->envelope, sample.envelope) << sample.name;
            }
        }
    }
}

TEST(RoundTrip, AwkwardStringsSurvive) {
    const std::vector<std::string> values = {
        "",
        " leading and trailing spaces ",
        "tab\there\nnew line and carriage return\r\nend",
        "<tag attr=\"x\">&amp; not an entity</tag>",
        "]]> end of CDATA marker",
        "ünïcödé 中文 العربية emoji 😀 ☎",
        std::string(5000, 'x'),
    };
    auto codec = make_codec();
    for (const auto& value : values) {
        Envelope envelope;
        envelope.header.id = value;
        envelope.body = SetParameterValues{{{"Device.X", value, "xsd:string"}}, value};
        const std::string text = codec->encode(envelope, Namespace::Cwmp12);
        const auto decoded = codec->decode(text);
        ASSERT_TRUE(decoded.has_value()) << describe(decoded.error()) << "\n" << text;
        EXPECT_EQ(decoded->envelope, envelope) << text;
    }
}

// ---- what the encoder writes ---------------------------------------------------

class EncodedText : public ::testing::Test {
protected:
    std::string encode(Body body, Header header = {}, Namespace ns = Namespace::Cwmp12) {
        return codec_->encode(Envelope{std::move(header), std::move(body)}, ns);
    }
    std::unique_ptr<Codec> codec_ = make_codec();
};

TEST_F(EncodedText, IsAnXmlDocumentWithASoap11EnvelopeAndNoHttp) {
    const std::string text = encode(GetRPCMethods{});
    EXPECT_EQ(text.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 0), 0u) << text;
    EXPECT_NE(text.find("xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\""),
              std::string::npos);
    EXPECT_NE(text.find("xmlns:SOAP-ENC=\"http://schemas.xmlsoap.org/soap/encoding/\""),
              std::string::npos);
    EXPECT_NE(text.find("<SOAP-ENV:Body><cwmp:GetRPCMethods></cwmp:GetRPCMethods></SOAP-ENV:Body>"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("HTTP/"), std::string::npos) << text;
    EXPECT_EQ(text.find("Content-Type"), std::string::npos) << text;
    EXPECT_EQ(text.find("encodingStyle"), std::string::npos) << text;
}

TEST_F(EncodedText, CwmpPrefixIsBoundToTheRequestedNamespace) {
    for (const auto ns : kAllNamespaces) {
        const std::string text = encode(InformResponse{1}, {}, ns);
        EXPECT_NE(text.find("xmlns:cwmp=\"" + std::string(namespace_uri(ns)) + "\""),
                  std::string::npos)
            << text;
    }
}

TEST_F(EncodedText, EmptyHeaderIsLeftOut) {
    const std::string text = encode(InformResponse{1});
    EXPECT_EQ(text.find("Header"), std::string::npos) << text;
}

TEST_F(EncodedText, HeaderEntriesCarryTheirMustUnderstand) {
    const std::string text = encode(InformResponse{1}, test::full_header());
    EXPECT_NE(text.find("<cwmp:ID SOAP-ENV:mustUnderstand=\"1\">id-0001</cwmp:ID>"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("<cwmp:HoldRequests SOAP-ENV:mustUnderstand=\"1\">true</cwmp:HoldRequests>"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("<cwmp:SessionTimeout>45</cwmp:SessionTimeout>"), std::string::npos)
        << text;
    EXPECT_NE(text.find("<cwmp:SupportedCWMPVersions SOAP-ENV:mustUnderstand=\"0\">1.0,1.1,1.2,"
                        "1.3,1.4</cwmp:SupportedCWMPVersions>"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("<cwmp:UseCWMPVersion SOAP-ENV:mustUnderstand=\"1\">1.2</cwmp:UseCWMPVersion>"),
        std::string::npos)
        << text;
}

TEST_F(EncodedText, AbsentHeaderEntriesAreLeftOut) {
    Header header;
    header.id = "only-id";
    const std::string text = encode(InformResponse{1}, header);
    EXPECT_NE(text.find("<SOAP-ENV:Header><cwmp:ID SOAP-ENV:mustUnderstand=\"1\">only-id</cwmp:ID>"
                        "</SOAP-ENV:Header>"),
              std::string::npos)
        << text;
}

TEST_F(EncodedText, ChildElementsAreUnqualified) {
    const std::string text = encode(AddObject{"Device.A.", "k"});
    EXPECT_NE(
        text.find("<cwmp:AddObject><ObjectName>Device.A.</ObjectName><ParameterKey>k</ParameterKey>"
                  "</cwmp:AddObject>"),
        std::string::npos)
        << text;
}

TEST_F(EncodedText, ValuesCarryXsiTypeOnlyWhenGiven) {
    const std::string text = encode(GetParameterValuesResponse{{
        {"A", "900", "xsd:unsignedInt"},
        {"B", "text", ""},
    }});
    EXPECT_NE(text.find("<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterValueStruct[2]\">"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("<ParameterValueStruct><Name>A</Name><Value "
                        "xsi:type=\"xsd:unsignedInt\">900</Value></ParameterValueStruct>"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("<ParameterValueStruct><Name>B</Name><Value>text</Value>"),
              std::string::npos)
        << text;
}

TEST_F(EncodedText, ArrayTypesCarryTheRealCount) {
    EXPECT_NE(encode(GetParameterValues{{"A", "B", "C"}})
                  .find("<ParameterNames SOAP-ENC:arrayType=\"xsd:string[3]\"><string>A</string>"
                        "<string>B</string><string>C</string></ParameterNames>"),
              std::string::npos);
    EXPECT_NE(encode(GetParameterValues{{}})
                  .find("<ParameterNames SOAP-ENC:arrayType=\"xsd:string[0]\"></ParameterNames>"),
              std::string::npos);
    EXPECT_NE(encode(GetRPCMethodsResponse{{"Inform", "GetRPCMethods"}})
                  .find("<MethodList SOAP-ENC:arrayType=\"xsd:string[2]\">"),
              std::string::npos);
    EXPECT_NE(encode(Inform{{}, {{"1 BOOT", ""}}, 1, "t", 0, {}})
                  .find("<Event SOAP-ENC:arrayType=\"cwmp:EventStruct[1]\"><EventStruct>"
                        "<EventCode>1 BOOT</EventCode><CommandKey/></EventStruct></Event>"),
              std::string::npos);
    EXPECT_NE(encode(GetParameterNamesResponse{{{"A.", true}, {"B", false}}})
                  .find("<ParameterList SOAP-ENC:arrayType=\"cwmp:ParameterInfoStruct[2]\">"
                        "<ParameterInfoStruct><Name>A.</Name><Writable>true</Writable>"),
              std::string::npos);
    const std::string spa = encode(SetParameterAttributes{{{"A", true, 2, true, {"Subscriber"}}}});
    EXPECT_NE(spa.find("<ParameterList "
                       "SOAP-ENC:arrayType=\"cwmp:SetParameterAttributesStruct[1]\">"),
              std::string::npos)
        << spa;
    EXPECT_NE(spa.find("<AccessList SOAP-ENC:arrayType=\"xsd:string[1]\"><string>Subscriber"
                       "</string></AccessList>"),
              std::string::npos)
        << spa;
    EXPECT_NE(encode(GetParameterAttributesResponse{{{"A", 1, {}}, {"B", 0, {}}, {"C", 2, {}}}})
                  .find("<ParameterList "
                        "SOAP-ENC:arrayType=\"cwmp:ParameterAttributeStruct[3]\">"),
              std::string::npos);
    EXPECT_NE(
        encode(GetAllQueuedTransfersResponse{{{"k", 1, true, "1 Firmware Upgrade Image", 0, ""}}})
            .find("<TransferList "
                  "SOAP-ENC:arrayType=\"cwmp:AllQueuedTransferStruct[1]\">"),
        std::string::npos);
}

TEST_F(EncodedText, FaultIsASoapFaultWithCwmpDetail) {
    const std::string text =
        encode(Fault{9003, "Invalid arguments", {{"Device.A", 9007, "Invalid parameter value"}}});
    EXPECT_NE(text.find("<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>Client</faultcode>"
                        "<faultstring>CWMP fault</faultstring><detail><cwmp:Fault>"
                        "<FaultCode>9003</FaultCode><FaultString>Invalid arguments</FaultString>"
                        "<SetParameterValuesFault><ParameterName>Device.A</ParameterName>"
                        "<FaultCode>9007</FaultCode><FaultString>Invalid parameter value"
                        "</FaultString></SetParameterValuesFault></cwmp:Fault></detail>"
                        "</SOAP-ENV:Fault></SOAP-ENV:Body>"),
              std::string::npos)
        << text;
    EXPECT_NE(encode(Fault{9000, "Method not supported", {}}).find("<faultcode>Server</faultcode>"),
              std::string::npos);
}

TEST_F(EncodedText, NonAsciiIsWrittenAsUtf8) {
    const std::string text = encode(Reboot{"clé ☎"});
    EXPECT_NE(text.find("<CommandKey>clé ☎</CommandKey>"), std::string::npos) << text;
}

TEST_F(EncodedText, MarkupCharactersAreEscaped) {
    const std::string text = encode(Reboot{"a<b>&c"});
    EXPECT_NE(text.find("<CommandKey>a&lt;b&gt;&amp;c</CommandKey>"), std::string::npos) << text;
}

}  // namespace
}  // namespace cwmp
