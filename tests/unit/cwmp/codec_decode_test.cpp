// Decoding hand-written envelopes: headers, namespaces, values, and every
// kind of error.
#include <gtest/gtest.h>

#include <string>

#include "cwmp/codec.hpp"
#include "envelope_text.hpp"

namespace cwmp {
namespace {

using test::id_header;
using test::soap_envelope;

class Decode : public ::testing::Test {
protected:
    Decoded ok(const std::string& text) {
        const auto decoded = codec_->decode(text);
        if (!decoded) {
            ADD_FAILURE() << to_string(decoded.error().kind) << ": " << decoded.error().detail
                          << "\n"
                          << text;
            return {};
        }
        return *decoded;
    }
    DecodeError error(const std::string& text) {
        const auto decoded = codec_->decode(text);
        if (decoded) {
            ADD_FAILURE() << "decoded as " << method_name(decoded->envelope.body) << ":\n" << text;
            return {};
        }
        EXPECT_FALSE(decoded.error().detail.empty());
        return decoded.error();
    }
    template <class T>
    T body(const std::string& text) {
        const Decoded decoded = ok(text);
        if (const T* value = std::get_if<T>(&decoded.envelope.body)) {
            return *value;
        }
        ADD_FAILURE() << "body is " << method_name(decoded.envelope.body);
        return {};
    }

    std::unique_ptr<Codec> codec_ = make_codec();
};

const std::string kInformResponse =
    "<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>";

std::string spv_value(std::string_view value_element) {
    return soap_envelope(
        "<cwmp:SetParameterValues><ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[1]"
        "\"><ParameterValueStruct><Name>Device.X</Name>" +
            std::string(value_element) +
            "</ParameterValueStruct></ParameterList><ParameterKey>k</ParameterKey>"
            "</cwmp:SetParameterValues>",
        id_header("1"));
}

std::string get_parameter_names(std::string_view next_level) {
    return soap_envelope(
        "<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>" +
        std::string(next_level) + "</NextLevel></cwmp:GetParameterNames>");
}

// ---- header ----------------------------------------------------------------------

TEST_F(Decode, HeaderFields) {
    const Decoded decoded = ok(soap_envelope(
        kInformResponse,
        id_header("abc-123") +
            "<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">true</cwmp:HoldRequests>"
            "<cwmp:SessionTimeout>60</cwmp:SessionTimeout>"
            "<cwmp:SupportedCWMPVersions soap-env:mustUnderstand=\"0\">1.0,1.1,1.2,1.3,1.4"
            "</cwmp:SupportedCWMPVersions>"
            "<cwmp:UseCWMPVersion soap-env:mustUnderstand=\"1\">1.4</cwmp:UseCWMPVersion>",
        "urn:dslforum-org:cwmp-1-2"));
    const Header& header = decoded.envelope.header;
    EXPECT_EQ(header.id, "abc-123");
    EXPECT_EQ(header.hold_requests, true);
    EXPECT_EQ(header.session_timeout, 60u);
    EXPECT_EQ(header.supported_cwmp_versions, "1.0,1.1,1.2,1.3,1.4");
    EXPECT_EQ(header.use_cwmp_version, "1.4");
}

TEST_F(Decode, HoldRequestsBooleans) {
    const std::pair<const char*, bool> cases[] = {
        {"true", true}, {"false", false}, {"1", true}, {"0", false}};
    for (const auto& [text, expected] : cases) {
        const Decoded decoded =
            ok(soap_envelope(kInformResponse, "<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">" +
                                                  std::string(text) + "</cwmp:HoldRequests>"));
        EXPECT_EQ(decoded.envelope.header.hold_requests, expected) << text;
    }
}

TEST_F(Decode, HoldRequestsThatIsNoBooleanIsMalformed) {
    for (const auto* text : {"yes", "TRUE", "2", ""}) {
        const DecodeError e = error(
            soap_envelope(kInformResponse, "<cwmp:HoldRequests soap-env:mustUnderstand=\"1\">" +
                                               std::string(text) + "</cwmp:HoldRequests>"));
        EXPECT_EQ(e.kind, DecodeErrorKind::Malformed) << text;
        EXPECT_NE(e.detail.find("HoldRequests"), std::string::npos) << e.detail;
    }
}

TEST_F(Decode, NoHeaderMeansNoHeaderFields) {
    EXPECT_EQ(ok(soap_envelope(kInformResponse)).envelope.header, Header{});
}

TEST_F(Decode, IdKeepsItsTextExactly) {
    EXPECT_EQ(ok(soap_envelope(kInformResponse, id_header(" a&amp;b&lt;c "))).envelope.header.id,
              " a&b<c ");
}

TEST_F(Decode, ForeignHeaderEntriesAreIgnoredUnlessTheyMustBeUnderstood) {
    const Decoded decoded =
        ok(soap_envelope(kInformResponse, id_header("7") + "<x:Trace xmlns:x=\"urn:example\">t<y/>"
                                                           "</x:Trace>"));
    EXPECT_EQ(decoded.envelope.header.id, "7");

    const DecodeError e = error(soap_envelope(
        kInformResponse,
        id_header("7") + "<x:Trace xmlns:x=\"urn:example\" soap-env:mustUnderstand=\"1\"/>"));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_NE(e.detail.find("x:Trace"), std::string::npos) << e.detail;
}

TEST_F(Decode, ObsoleteNoMoreRequestsIsIgnored) {
    const Decoded decoded = ok(soap_envelope(
        kInformResponse,
        id_header("8") +
            "<cwmp:NoMoreRequests soap-env:mustUnderstand=\"1\">1</cwmp:NoMoreRequests>"));
    EXPECT_EQ(decoded.envelope.header.id, "8");
    EXPECT_FALSE(decoded.envelope.header.hold_requests);
}

// ---- namespaces --------------------------------------------------------------------

TEST_F(Decode, ReportsTheNamespaceThatArrived) {
    const std::pair<const char*, Namespace> cases[] = {
        {"urn:dslforum-org:cwmp-1-0", Namespace::Cwmp10},
        {"urn:dslforum-org:cwmp-1-1", Namespace::Cwmp11},
        {"urn:dslforum-org:cwmp-1-2", Namespace::Cwmp12},
        {"urn:dslforum-org:cwmp-1-3", Namespace::Cwmp13},
        {"urn:dslforum-org:cwmp-1-4", Namespace::Cwmp14},
        // Again, in another order: one codec forgets the previous message's.
        {"urn:dslforum-org:cwmp-1-1", Namespace::Cwmp11},
        {"urn:dslforum-org:cwmp-1-0", Namespace::Cwmp10},
        {"urn:dslforum-org:cwmp-1-2", Namespace::Cwmp12},
    };
    for (const auto& [uri, ns] : cases) {
        const Decoded decoded =
            ok(soap_envelope("<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath>"
                             "<NextLevel>false</NextLevel></cwmp:GetParameterNames>",
                             id_header("n"), uri));
        EXPECT_EQ(decoded.ns, ns) << uri;
        EXPECT_EQ(decoded.envelope.header.id, "n") << uri;
        EXPECT_EQ(std::get<GetParameterNames>(decoded.envelope.body),
                  (GetParameterNames{"Device.", false}))
            << uri;
    }
}

TEST_F(Decode, AnyPrefixWorks) {
    const Decoded decoded =
        ok("<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\" "
           "xmlns:c=\"urn:dslforum-org:cwmp-1-1\"><S:Header><c:ID S:mustUnderstand=\"1\">p</c:ID>"
           "</S:Header><S:Body><c:Reboot><CommandKey>rk</CommandKey></c:Reboot></S:Body>"
           "</S:Envelope>");
    EXPECT_EQ(decoded.ns, Namespace::Cwmp11);
    EXPECT_EQ(decoded.envelope.header.id, "p");
    EXPECT_EQ(std::get<Reboot>(decoded.envelope.body).command_key, "rk");
}

TEST_F(Decode, DefaultNamespaceAndQualifiedChildrenAreUnderstood) {
    const Decoded by_default = ok(
        "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
        "<GetParameterNames xmlns=\"urn:dslforum-org:cwmp-1-1\"><ParameterPath>A.</ParameterPath>"
        "<NextLevel>true</NextLevel></GetParameterNames></s:Body></s:Envelope>");
    EXPECT_EQ(by_default.ns, Namespace::Cwmp11);
    EXPECT_EQ(std::get<GetParameterNames>(by_default.envelope.body),
              (GetParameterNames{"A.", true}));

    EXPECT_EQ(body<GetParameterNames>(soap_envelope(
                  "<cwmp:GetParameterNames><cwmp:ParameterPath>B.</cwmp:ParameterPath>"
                  "<cwmp:NextLevel>1</cwmp:NextLevel></cwmp:GetParameterNames>")),
              (GetParameterNames{"B.", true}));
}

TEST_F(Decode, UnsupportedCwmpNamespaceIsMalformed) {
    const DecodeError e =
        error(soap_envelope("<cwmp:GetRPCMethods/>", id_header("9"), "urn:dslforum-org:cwmp-1-9"));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_NE(e.detail.find("urn:dslforum-org:cwmp-1-9"), std::string::npos) << e.detail;
}

// ---- values ------------------------------------------------------------------------

ParameterValue first_value(const SetParameterValues& spv) {
    return spv.parameter_list.empty() ? ParameterValue{} : spv.parameter_list.front();
}

TEST_F(Decode, ValueKeepsItsXsiTypeAsWritten) {
    EXPECT_EQ(first_value(body<SetParameterValues>(
                  spv_value("<Value xsi:type=\"xsd:unsignedInt\">900</Value>"))),
              (ParameterValue{"Device.X", "900", "xsd:unsignedInt"}));
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value(
                  "<Value xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xsi:type=\"xs:int\">"
                  "-5</Value>"))),
              (ParameterValue{"Device.X", "-5", "xs:int"}));
    EXPECT_EQ(first_value(body<SetParameterValues>(
                  spv_value("<Value xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" "
                            "i:type=\"xsd:boolean\">true</Value>"))),
              (ParameterValue{"Device.X", "true", "xsd:boolean"}));
}

TEST_F(Decode, ValueWithoutXsiTypeHasAnEmptyType) {
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value("<Value>plain</Value>"))),
              (ParameterValue{"Device.X", "plain", ""}));
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value("<Value/>"))),
              (ParameterValue{"Device.X", "", ""}));
    // A plain "type" attribute is not xsi:type.
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value("<Value type=\"x\">v</Value>"))),
              (ParameterValue{"Device.X", "v", ""}));
}

TEST_F(Decode, XmlEscapesAreDecoded) {
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value(
                              "<Value xsi:type=\"xsd:string\">&amp;&lt;&gt;&quot;&apos;&#233;"
                              "&#x263A;&#10;x</Value>")))
                  .value,
              "&<>\"'\u00e9\u263a\nx");
    EXPECT_EQ(first_value(body<SetParameterValues>(
                              spv_value("<Value><![CDATA[<b>&amp;</b>]]> tail</Value>")))
                  .value,
              "<b>&amp;</b> tail");
    EXPECT_EQ(body<Reboot>(soap_envelope("<cwmp:Reboot><CommandKey>a&amp;b</CommandKey>"
                                         "</cwmp:Reboot>"))
                  .command_key,
              "a&b");
}

TEST_F(Decode, NonAsciiUtf8IsKept) {
    const std::string text = "Téléphone ☎ 电话 😀";
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value("<Value>" + text + "</Value>"))).value,
              text);
}

TEST_F(Decode, WhiteSpaceInValuesIsKept) {
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value("<Value>  a \t b  </Value>"))).value,
              "  a \t b  ");
}

TEST_F(Decode, NilValueIsEmpty) {
    EXPECT_EQ(first_value(body<SetParameterValues>(spv_value("<Value xsi:nil=\"true\"/>"))),
              (ParameterValue{"Device.X", "", ""}));
}

TEST_F(Decode, IndentedEnvelopeWithCommentsDecodes) {
    const Decoded decoded = ok(soap_envelope(
        "\n  <!-- request --><cwmp:Reboot>\n    <CommandKey>k</CommandKey>\n  </cwmp:Reboot>\n",
        "\n  " + id_header("pretty") + "\n"));
    EXPECT_EQ(decoded.envelope.header.id, "pretty");
    EXPECT_EQ(std::get<Reboot>(decoded.envelope.body).command_key, "k");
}

TEST_F(Decode, BooleansInTheBody) {
    const std::pair<const char*, bool> cases[] = {
        {"true", true}, {"false", false}, {"1", true}, {"0", false}};
    for (const auto& [text, expected] : cases) {
        EXPECT_EQ(body<GetParameterNames>(get_parameter_names(text)).next_level, expected) << text;
        const auto response = body<GetParameterNamesResponse>(soap_envelope(
            "<cwmp:GetParameterNamesResponse><ParameterList><ParameterInfoStruct><Name>A</Name>"
            "<Writable>" +
            std::string(text) +
            "</Writable></ParameterInfoStruct></ParameterList>"
            "</cwmp:GetParameterNamesResponse>"));
        ASSERT_EQ(response.parameter_list.size(), 1u);
        EXPECT_EQ(response.parameter_list[0].writable, expected) << text;
    }
}

TEST_F(Decode, InvalidBooleanIsMalformed) {
    for (const auto* text : {"yes", "True", "01x", ""}) {
        const DecodeError e = error(get_parameter_names(text));
        EXPECT_EQ(e.kind, DecodeErrorKind::Malformed) << text;
        EXPECT_NE(e.detail.find("NextLevel"), std::string::npos) << e.detail;
    }
}

TEST_F(Decode, InvalidNumbersAreMalformed) {
    for (const auto* text : {"abc", "-1", "1.5", "99999999999", ""}) {
        const DecodeError e =
            error(soap_envelope("<cwmp:AddObjectResponse><InstanceNumber>" + std::string(text) +
                                "</InstanceNumber><Status>0</Status></cwmp:AddObjectResponse>"));
        EXPECT_EQ(e.kind, DecodeErrorKind::Malformed) << text;
        EXPECT_NE(e.detail.find("InstanceNumber"), std::string::npos) << e.detail;
    }
}

TEST_F(Decode, FaultFromAnAcs) {
    const Decoded decoded = ok(soap_envelope(
        "<soap-env:Fault><faultcode>soap-env:Client</faultcode><faultstring>CWMP fault"
        "</faultstring><detail><cwmp:Fault><FaultCode>8005</FaultCode><FaultString>Retry request"
        "</FaultString></cwmp:Fault></detail></soap-env:Fault>",
        id_header("f1")));
    EXPECT_EQ(decoded.ns, Namespace::Cwmp10);
    EXPECT_EQ(decoded.envelope.header.id, "f1");
    EXPECT_EQ(std::get<Fault>(decoded.envelope.body), (Fault{8005, "Retry request", {}}));
}

TEST_F(Decode, FaultReportsTheNamespaceOfItsDetail) {
    const std::pair<const char*, Namespace> cases[] = {
        {"urn:dslforum-org:cwmp-1-1", Namespace::Cwmp11},
        {"urn:dslforum-org:cwmp-1-2", Namespace::Cwmp12},
        {"urn:dslforum-org:cwmp-1-0", Namespace::Cwmp10},
    };
    for (const auto& [uri, ns] : cases) {
        const Decoded decoded =
            ok("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault>"
               "<faultcode>Server</faultcode><faultstring>CWMP fault</faultstring><detail>"
               "<c:Fault xmlns:c=\"" +
               std::string(uri) +
               "\"><FaultCode>9002</FaultCode><FaultString>Internal error</FaultString></c:Fault>"
               "</detail></s:Fault></s:Body></s:Envelope>");
        EXPECT_EQ(decoded.ns, ns) << uri;
        EXPECT_EQ(std::get<Fault>(decoded.envelope.body), (Fault{9002, "Internal error", {}}));
    }
}

TEST_F(Decode, FaultWithoutFaultStrings) {
    EXPECT_EQ(body<Fault>(soap_envelope(
                  "<soap-env:Fault><faultcode>Server</faultcode><faultstring>CWMP fault"
                  "</faultstring><detail><cwmp:Fault><FaultCode>9003</FaultCode>"
                  "<SetParameterValuesFault><ParameterName>A</ParameterName><FaultCode>9007"
                  "</FaultCode></SetParameterValuesFault></cwmp:Fault></detail>"
                  "</soap-env:Fault>")),
              (Fault{9003, "", {{"A", 9007, ""}}}));
}

TEST_F(Decode, SoapFaultWithoutCwmpDetailIsMalformed) {
    const DecodeError e = error(soap_envelope(
        "<soap-env:Fault><faultcode>soap-env:Server</faultcode><faultstring>Internal oops"
        "</faultstring></soap-env:Fault>",
        id_header("f2")));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_EQ(e.id, "f2");
    EXPECT_EQ(e.method, "Fault");
    EXPECT_NE(e.detail.find("Internal oops"), std::string::npos) << e.detail;
}

// ---- unknown methods -------------------------------------------------------------------

TEST_F(Decode, UnknownCwmpMethodCarriesIdMethodAndNamespace) {
    const DecodeError e = error(
        soap_envelope("<cwmp:ScheduleDownload><CommandKey>x</CommandKey></cwmp:ScheduleDownload>",
                      id_header("req-77"), "urn:dslforum-org:cwmp-1-1"));
    EXPECT_EQ(e.kind, DecodeErrorKind::UnknownMethod);
    EXPECT_EQ(e.id, "req-77");
    EXPECT_EQ(e.method, "ScheduleDownload");
    EXPECT_EQ(e.ns, Namespace::Cwmp11);
    EXPECT_NE(e.detail.find("ScheduleDownload"), std::string::npos) << e.detail;
}

TEST_F(Decode, VendorMethodIsUnknown) {
    const DecodeError e = error(
        soap_envelope("<x:X_0012AB_Reset xmlns:x=\"urn:vendor\"><Arg>1</Arg></x:X_0012AB_Reset>",
                      id_header("v1")));
    EXPECT_EQ(e.kind, DecodeErrorKind::UnknownMethod);
    EXPECT_EQ(e.id, "v1");
    EXPECT_EQ(e.method, "X_0012AB_Reset");
}

TEST_F(Decode, UnknownMethodWithoutHeaderHasNoId) {
    const DecodeError e = error(soap_envelope("<cwmp:Kicked/>"));
    EXPECT_EQ(e.kind, DecodeErrorKind::UnknownMethod);
    EXPECT_FALSE(e.id);
    EXPECT_EQ(e.method, "Kicked");
}

// ---- malformed envelopes ---------------------------------------------------------------

TEST_F(Decode, MissingRequiredChildIsMalformed) {
    const DecodeError e = error(soap_envelope(
        "<cwmp:GetParameterNames><ParameterPath>A.</ParameterPath></cwmp:GetParameterNames>",
        id_header("m1")));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_EQ(e.id, "m1");
    EXPECT_EQ(e.method, "GetParameterNames");
    EXPECT_NE(e.detail.find("GetParameterNames"), std::string::npos) << e.detail;

    EXPECT_EQ(error(soap_envelope("<cwmp:Inform><DeviceId><Manufacturer>M</Manufacturer>"
                                  "<OUI>000000</OUI><ProductClass>P</ProductClass>"
                                  "<SerialNumber>S</SerialNumber></DeviceId>"
                                  "<MaxEnvelopes>1</MaxEnvelopes></cwmp:Inform>"))
                  .kind,
              DecodeErrorKind::Malformed);
    EXPECT_EQ(error(spv_value("<Name>dup</Name>")).kind, DecodeErrorKind::Malformed);
}

TEST_F(Decode, UnexpectedChildIsMalformed) {
    const DecodeError e =
        error(soap_envelope("<cwmp:Reboot><CommandKey>c</CommandKey><Delay>5</Delay>"
                            "</cwmp:Reboot>"));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_NE(e.detail.find("Delay"), std::string::npos) << e.detail;
}

TEST_F(Decode, RepeatedChildIsMalformed) {
    EXPECT_EQ(error(soap_envelope("<cwmp:Reboot><CommandKey>a</CommandKey><CommandKey>b"
                                  "</CommandKey></cwmp:Reboot>"))
                  .kind,
              DecodeErrorKind::Malformed);
}

TEST_F(Decode, MismatchedEndTagIsMalformed) {
    const DecodeError e = error(
        soap_envelope("<cwmp:Reboot><CommandKey>c</CommandKeyX></cwmp:Reboot>", id_header("t")));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_EQ(e.id, "t");
}

TEST_F(Decode, BodyMustHoldExactlyOneElement) {
    EXPECT_EQ(error(soap_envelope("")).kind, DecodeErrorKind::Malformed);
    EXPECT_EQ(error(soap_envelope("just text")).kind, DecodeErrorKind::Malformed);
    const DecodeError two = error(soap_envelope("<cwmp:GetRPCMethods/><cwmp:FactoryReset/>"));
    EXPECT_EQ(two.kind, DecodeErrorKind::Malformed);
    EXPECT_NE(two.detail.find("more than one"), std::string::npos) << two.detail;
}

TEST_F(Decode, EnvelopeWithoutBodyIsMalformed) {
    EXPECT_EQ(error("<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/"
                    "\"><soap-env:Header/></soap-env:Envelope>")
                  .kind,
              DecodeErrorKind::Malformed);
    EXPECT_EQ(error("<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/"
                    "\"><soap-env:Bodies/></soap-env:Envelope>")
                  .kind,
              DecodeErrorKind::Malformed);
}

TEST_F(Decode, ContentAfterTheEnvelopeIsMalformed) {
    EXPECT_EQ(error(soap_envelope("<cwmp:GetRPCMethods/>") + "<more/>").kind,
              DecodeErrorKind::Malformed);
    // White space, comments and processing instructions may follow.
    ok(soap_envelope("<cwmp:GetRPCMethods/>") + " \r\n<!-- end --><?pi x?>\n");
}

TEST_F(Decode, LexicalProblemsGSoapWouldLetThroughAreMalformed) {
    const std::pair<std::string, std::string> cases[] = {
        {"<CommandKey>&nbsp;</CommandKey>", "unknown entity"},
        {"<CommandKey>a&#0;b</CommandKey>", "U+0000"},
        {"<CommandKey>&#xD800;</CommandKey>", "U+D800"},
        {"<CommandKey>&#x110000;</CommandKey>", "beyond Unicode"},
        {"<CommandKey>a & b</CommandKey>", "'&'"},
        {"<CommandKey>\x01</CommandKey>", "U+0001"},
        {"<CommandKey>\xC3\x28</CommandKey>", "UTF-8"},
        {"<CommandKey>\xE0\x80\xAF</CommandKey>", "UTF-8"},
        {"<CommandKey>\xED\xA0\x80</CommandKey>", "UTF-8"},
        {"<CommandKey>\xFF</CommandKey>", "UTF-8"},
        {"<CommandKey>a<!-- unterminated </CommandKey>", "comment"},
    };
    for (const auto& [key, expected] : cases) {
        const DecodeError e =
            error(soap_envelope("<cwmp:Reboot>" + key + "</cwmp:Reboot>", id_header("l")));
        EXPECT_EQ(e.kind, DecodeErrorKind::Malformed) << key;
        EXPECT_NE(e.detail.find(expected), std::string::npos) << key << ": " << e.detail;
    }
}

TEST_F(Decode, DoctypeIsMalformed) {
    const std::string text =
        soap_envelope("<cwmp:Reboot><CommandKey>&e;</CommandKey></cwmp:Reboot>");
    const auto at = text.find("<soap-env:Envelope");
    const DecodeError e =
        error(text.substr(0, at) + "<!DOCTYPE x [<!ENTITY e \"boom\">]>" + text.substr(at));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_NE(e.detail.find("DOCTYPE"), std::string::npos) << e.detail;
}

TEST_F(Decode, TruncatedEnvelopeIsMalformed) {
    const std::string text =
        soap_envelope("<cwmp:Reboot><CommandKey>k</CommandKey></cwmp:Reboot>", id_header("tr"));
    const DecodeError e = error(text.substr(0, text.size() - 20));
    EXPECT_EQ(e.kind, DecodeErrorKind::Malformed);
    EXPECT_NE(e.detail.find("truncated"), std::string::npos) << e.detail;
}

// ---- not SOAP ------------------------------------------------------------------------------

TEST_F(Decode, NotSoap) {
    for (const std::string& text : {
             std::string(),
             std::string("   \r\n"),
             std::string("hello"),
             std::string("{\"json\": true}"),
             std::string("<html><body>Error</body></html>"),
             std::string("<Envelope><Body/></Envelope>"),
             std::string("<e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\"><e:Body>"
                         "<c:GetRPCMethods xmlns:c=\"urn:dslforum-org:cwmp-1-2\"/></e:Body>"
                         "</e:Envelope>"),
             std::string("HTTP/1.1 200 OK\r\n\r\n") + soap_envelope("<cwmp:GetRPCMethods/>"),
             std::string("\0\1\2\3", 4),
         }) {
        EXPECT_EQ(error(text).kind, DecodeErrorKind::NotSoap) << text;
    }
}

TEST_F(Decode, CodecRecoversAfterErrors) {
    error("garbage");
    error(soap_envelope("<cwmp:Reboot><CommandKey>k</CommandKey>"));
    error(soap_envelope("<cwmp:Unknown/>", id_header("u")));
    const Decoded decoded = ok(soap_envelope("<cwmp:GetRPCMethods/>", id_header("after")));
    EXPECT_EQ(decoded.envelope.header.id, "after");
    EXPECT_TRUE(std::holds_alternative<GetRPCMethods>(decoded.envelope.body));
}

// ---- limits ----------------------------------------------------------------------------------

TEST(DecodeLimits, MessageLargerThanTheLimitIsOversized) {
    const std::string text = soap_envelope("<cwmp:GetRPCMethods/>", id_header("big"));
    auto exact = make_codec(CodecLimits{text.size(), 10});
    EXPECT_TRUE(exact->decode(text).has_value());
    auto smaller = make_codec(CodecLimits{text.size() - 1, 10});
    const auto decoded = smaller->decode(text);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().kind, DecodeErrorKind::Oversized);
}

std::string repeat(std::string_view item, std::size_t count) {
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out += item;
    }
    return out;
}

// Lists with `count` items, one per kind of list the codec reads.
std::vector<std::pair<std::string, std::string>> lists_of(std::size_t count) {
    const std::string pvs = repeat(
        "<ParameterValueStruct><Name>A</Name><Value>v</Value></ParameterValueStruct>", count);
    return {
        {"ParameterNames", soap_envelope("<cwmp:GetParameterValues><ParameterNames>" +
                                         repeat("<string>A</string>", count) +
                                         "</ParameterNames></cwmp:GetParameterValues>")},
        {"SetParameterValues",
         soap_envelope("<cwmp:SetParameterValues><ParameterList>" + pvs +
                       "</ParameterList><ParameterKey/></cwmp:SetParameterValues>")},
        {"GetParameterValuesResponse",
         soap_envelope("<cwmp:GetParameterValuesResponse><ParameterList>" + pvs +
                       "</ParameterList></cwmp:GetParameterValuesResponse>")},
        {"GetParameterNamesResponse",
         soap_envelope("<cwmp:GetParameterNamesResponse><ParameterList>" +
                       repeat("<ParameterInfoStruct><Name>A</Name><Writable>1</Writable>"
                              "</ParameterInfoStruct>",
                              count) +
                       "</ParameterList></cwmp:GetParameterNamesResponse>")},
        {"MethodList", soap_envelope("<cwmp:GetRPCMethodsResponse><MethodList>" +
                                     repeat("<string>Inform</string>", count) +
                                     "</MethodList></cwmp:GetRPCMethodsResponse>")},
        {"AccessList",
         soap_envelope("<cwmp:SetParameterAttributes><ParameterList><SetParameterAttributesStruct>"
                       "<Name>A</Name><NotificationChange>1</NotificationChange><Notification>2"
                       "</Notification><AccessListChange>1</AccessListChange><AccessList>" +
                       repeat("<string>Subscriber</string>", count) +
                       "</AccessList></SetParameterAttributesStruct></ParameterList>"
                       "</cwmp:SetParameterAttributes>")},
        {"GetParameterAttributesResponse",
         soap_envelope("<cwmp:GetParameterAttributesResponse><ParameterList>" +
                       repeat("<ParameterAttributeStruct><Name>A</Name><Notification>0"
                              "</Notification><AccessList/></ParameterAttributeStruct>",
                              count) +
                       "</ParameterList></cwmp:GetParameterAttributesResponse>")},
        {"Event",
         soap_envelope("<cwmp:Inform><DeviceId><Manufacturer>M</Manufacturer><OUI>000000</OUI>"
                       "<ProductClass>P</ProductClass><SerialNumber>S</SerialNumber></DeviceId>"
                       "<Event>" +
                       repeat("<EventStruct><EventCode>1 BOOT</EventCode><CommandKey/>"
                              "</EventStruct>",
                              count) +
                       "</Event><MaxEnvelopes>1</MaxEnvelopes><CurrentTime>"
                       "2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>"
                       "<ParameterList/></cwmp:Inform>")},
        {"TransferList",
         soap_envelope("<cwmp:GetAllQueuedTransfersResponse><TransferList>" +
                       repeat("<AllQueuedTransferStruct><CommandKey/><State>1</State><IsDownload>"
                              "true</IsDownload><FileType>1 Firmware Upgrade Image</FileType>"
                              "<FileSize>0</FileSize><TargetFileName/></AllQueuedTransferStruct>",
                              count) +
                       "</TransferList></cwmp:GetAllQueuedTransfersResponse>")},
        {"SetParameterValuesFault",
         soap_envelope("<soap-env:Fault><faultcode>Client</faultcode><faultstring>CWMP fault"
                       "</faultstring><detail><cwmp:Fault><FaultCode>9003</FaultCode>" +
                       repeat("<SetParameterValuesFault><ParameterName>A</ParameterName>"
                              "<FaultCode>9007</FaultCode></SetParameterValuesFault>",
                              count) +
                       "</cwmp:Fault></detail></soap-env:Fault>")},
    };
}

TEST(DecodeLimits, ListsUpToTheLimitAreAccepted) {
    auto codec = make_codec(CodecLimits{1 << 20, 8});
    for (const auto& [name, text] : lists_of(8)) {
        const auto decoded = codec->decode(text);
        EXPECT_TRUE(decoded.has_value()) << name << ": " << decoded.error().detail;
    }
}

TEST(DecodeLimits, ListsBeyondTheLimitAreOversized) {
    auto codec = make_codec(CodecLimits{1 << 20, 8});
    for (const auto& [name, text] : lists_of(9)) {
        const auto decoded = codec->decode(text);
        ASSERT_FALSE(decoded.has_value()) << name;
        EXPECT_EQ(decoded.error().kind, DecodeErrorKind::Oversized) << name;
        EXPECT_NE(decoded.error().detail.find("9 items"), std::string::npos)
            << name << ": " << decoded.error().detail;
    }
}

}  // namespace
}  // namespace cwmp
