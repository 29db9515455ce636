// Hostile input: truncations, garbage and mutations of valid envelopes must
// give clean errors (this executable runs under ASan and UBSan, so a read
// out of bounds or a leak fails it).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cwmp/codec.hpp"
#include "envelope_text.hpp"
#include "sample_envelopes.hpp"
#include "test_files.hpp"

namespace cwmp {
namespace {

bool is_kind(const DecodeError& error, std::initializer_list<DecodeErrorKind> kinds) {
    for (const auto kind : kinds) {
        if (error.kind == kind) {
            return true;
        }
    }
    return false;
}

// Valid envelopes to cut and mutate: a few encoded samples and a real one.
std::vector<std::string> seeds() {
    auto codec = make_codec();
    std::vector<std::string> texts;
    for (const auto& sample : test::sample_envelopes()) {
        if (sample.name == "Inform" || sample.name == "SetParameterAttributes" ||
            sample.name == "FaultSetParameterValues" ||
            sample.name == "GetAllQueuedTransfersResponse" || sample.name == "Download") {
            texts.push_back(codec->encode(sample.envelope, Namespace::Cwmp10));
        }
    }
    if (const auto dir = test::genieacs_fixture_dir()) {
        texts.push_back(test::read_text_file(*dir / "cpe-to-acs-Inform.xml"));
    }
    return texts;
}

TEST(Hostile, EveryPrefixOfAValidEnvelopeFailsCleanly) {
    auto codec = make_codec();
    for (const auto& text : seeds()) {
        const auto end = text.rfind("</SOAP-ENV:Envelope>") != std::string::npos
                             ? text.rfind("</SOAP-ENV:Envelope>")
                             : text.rfind("</soap-env:Envelope>");
        ASSERT_NE(end, std::string::npos);
        ASSERT_TRUE(codec->decode(text).has_value());
        for (std::size_t length = 0; length < end; ++length) {
            const auto decoded = codec->decode(std::string_view(text).substr(0, length));
            ASSERT_FALSE(decoded.has_value()) << "prefix of " << length << " bytes decoded";
            EXPECT_TRUE(
                is_kind(decoded.error(), {DecodeErrorKind::NotSoap, DecodeErrorKind::Malformed}))
                << length << ": " << to_string(decoded.error().kind) << " "
                << decoded.error().detail;
            EXPECT_FALSE(decoded.error().detail.empty());
        }
    }
}

TEST(Hostile, RandomBytesAreNotSoap) {
    std::mt19937 random(20240506);
    std::uniform_int_distribution<int> byte(0, 255);
    std::uniform_int_distribution<std::size_t> length(0, 2000);
    auto codec = make_codec();
    for (int i = 0; i < 2000; ++i) {
        std::string text(length(random), '\0');
        for (auto& c : text) {
            c = static_cast<char>(byte(random));
        }
        const auto decoded = codec->decode(text);
        ASSERT_FALSE(decoded.has_value());
        EXPECT_FALSE(decoded.error().detail.empty());
    }
}

TEST(Hostile, RandomMarkupFailsCleanly) {
    // Fragments of SOAP shuffled together: closer to what reaches the parser.
    const std::vector<std::string> pieces = {
        "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:cwmp=\"urn:dslforum-org:cwmp-1-0\">",
        "<soap-env:Header>",
        "</soap-env:Header>",
        "<soap-env:Body>",
        "</soap-env:Body>",
        "</soap-env:Envelope>",
        "<cwmp:ID soap-env:mustUnderstand=\"1\">",
        "</cwmp:ID>",
        "<cwmp:SetParameterValues>",
        "</cwmp:SetParameterValues>",
        "<ParameterList soap-enc:arrayType=\"cwmp:ParameterValueStruct[99999]\">",
        "</ParameterList>",
        "<ParameterValueStruct>",
        "</ParameterValueStruct>",
        "<Name>",
        "</Name>",
        "<Value xsi:type=\"xsd:string\">",
        "</Value>",
        "&amp;",
        "&#x263A;",
        "&",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "text",
        "\xC3\xA9",
        "<",
        ">",
        "/>",
        "=\"",
        "\"",
        "xmlns:x=\"urn:x\"",
        "<x:y>",
        "</x:y>",
        "<ParameterKey/>"};
    std::mt19937 random(42);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::uniform_int_distribution<int> count(1, 60);
    auto codec = make_codec();
    for (int i = 0; i < 3000; ++i) {
        std::string text = pieces[0];
        for (int n = count(random); n > 0; --n) {
            text += pieces[pick(random)];
        }
        const auto decoded = codec->decode(text);
        if (!decoded) {
            EXPECT_FALSE(decoded.error().detail.empty());
        }
    }
}

TEST(Hostile, MutatedEnvelopesFailCleanlyOrDecode) {
    std::mt19937 random(7);
    auto codec = make_codec();
    const auto texts = seeds();
    for (int i = 0; i < 4000; ++i) {
        std::string text = texts[static_cast<std::size_t>(i) % texts.size()];
        std::uniform_int_distribution<int> edits(1, 8);
        for (int n = edits(random); n > 0; --n) {
            std::uniform_int_distribution<std::size_t> at(0, text.size() - 1);
            std::uniform_int_distribution<int> what(0, 3);
            const std::size_t position = at(random);
            switch (what(random)) {
                case 0:
                    text[position] = static_cast<char>(random() & 0xFF);
                    break;
                case 1:
                    text.erase(position, 1 + random() % 16);
                    break;
                case 2:
                    text.insert(position, text.substr(at(random) % text.size(), random() % 32));
                    break;
                default:
                    text.insert(position, 1, "<>&\"'/:="[random() % 8]);
                    break;
            }
            if (text.empty()) {
                text = "<";
            }
        }
        const auto decoded = codec->decode(text);
        if (decoded) {
            // Whatever decoded must encode again.
            EXPECT_FALSE(codec->encode(decoded->envelope, decoded->ns).empty());
        } else {
            EXPECT_FALSE(decoded.error().detail.empty());
        }
    }
}

TEST(Hostile, DeepNestingIsHandledWithoutRecursion) {
    auto codec = make_codec();
    std::string open;
    std::string close;
    for (int i = 0; i < 100000; ++i) {
        open += "<a>";
        close += "</a>";
    }
    // A foreign header entry, however deep, is skipped.
    const auto header = codec->decode(test::soap_envelope(
        "<cwmp:GetRPCMethods/>",
        test::id_header("d") + "<x:Deep xmlns:x=\"urn:x\">" + open + close + "</x:Deep>"));
    ASSERT_TRUE(header.has_value()) << header.error().detail;
    EXPECT_EQ(header->envelope.header.id, "d");

    // In the body it is an unexpected element.
    const auto body =
        codec->decode(test::soap_envelope("<cwmp:Reboot><CommandKey>k</CommandKey><Extra>" + open +
                                          close + "</Extra></cwmp:Reboot>"));
    ASSERT_FALSE(body.has_value());
    EXPECT_EQ(body.error().kind, DecodeErrorKind::Malformed);

    // Never closed: the input ends first.
    for (const auto& text :
         {test::soap_envelope("<cwmp:GetRPCMethods/>", "<x:Deep xmlns:x=\"urn:x\">" + open),
          test::soap_envelope("<cwmp:Reboot><CommandKey>" + open + "</CommandKey></cwmp:Reboot>"),
          test::soap_envelope(open)}) {
        const auto decoded = codec->decode(text);
        ASSERT_FALSE(decoded.has_value());
        EXPECT_TRUE(
            is_kind(decoded.error(), {DecodeErrorKind::Malformed, DecodeErrorKind::UnknownMethod}))
            << decoded.error().detail;
    }

    // Markup inside a string field: gSOAP keeps it as text, whatever its depth.
    const auto in_string = codec->decode(test::soap_envelope(
        "<cwmp:Reboot><CommandKey>" + open + close + "</CommandKey></cwmp:Reboot>"));
    ASSERT_TRUE(in_string.has_value()) << in_string.error().detail;
    EXPECT_EQ(std::get<Reboot>(in_string->envelope.body).command_key.size(),
              open.size() + close.size());
}

TEST(Hostile, HugeNamesAndAttributesAreHandled) {
    auto codec = make_codec();
    const std::string long_name(100000, 'n');
    const std::string long_value(500000, 'v');
    for (const auto& text : {
             test::soap_envelope("<cwmp:" + long_name + "/>", test::id_header("h")),
             test::soap_envelope("<cwmp:Reboot " + long_name + "=\"" + long_value +
                                 "\"><CommandKey>k</CommandKey></cwmp:Reboot>"),
             test::soap_envelope("<cwmp:Reboot><CommandKey>" + long_value +
                                 "</CommandKey></cwmp:Reboot>"),
             test::soap_envelope(
                 "<cwmp:GetRPCMethods/>",
                 "<cwmp:ID soap-env:mustUnderstand=\"1\">" + long_value + "</cwmp:ID>"),
         }) {
        const auto decoded = codec->decode(text);
        if (!decoded) {
            EXPECT_FALSE(decoded.error().detail.empty());
        }
    }
    const auto decoded = codec->decode(test::soap_envelope(
        "<cwmp:Reboot><CommandKey>" + long_value + "</CommandKey></cwmp:Reboot>"));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(std::get<Reboot>(decoded->envelope.body).command_key, long_value);
}

TEST(Hostile, ManyNamespaceDeclarationsAndAttributes) {
    std::string declarations;
    for (int i = 0; i < 5000; ++i) {
        declarations += " xmlns:p" + std::to_string(i) + "=\"urn:p" + std::to_string(i) + "\"";
        declarations += " a" + std::to_string(i) + "=\"x\"";
    }
    auto codec = make_codec();
    const auto decoded = codec->decode(test::soap_envelope(
        "<cwmp:Reboot" + declarations + "><CommandKey>k</CommandKey></cwmp:Reboot>"));
    ASSERT_TRUE(decoded.has_value()) << decoded.error().detail;
    EXPECT_EQ(std::get<Reboot>(decoded->envelope.body).command_key, "k");
}

TEST(Hostile, MultiReferenceAttributesAreNotFollowed) {
    auto codec = make_codec();
    const auto decoded = codec->decode(test::soap_envelope(
        "<cwmp:Reboot><CommandKey href=\"#k\"/></cwmp:Reboot><x id=\"k\">secret</x>"));
    if (decoded) {
        EXPECT_EQ(std::get<Reboot>(decoded->envelope.body).command_key, "");
    } else {
        EXPECT_EQ(decoded.error().kind, DecodeErrorKind::Malformed);
    }
}

TEST(Hostile, OversizedListsAreRejected) {
    auto codec = make_codec(CodecLimits{1 << 22, 1000});
    std::string names;
    for (int i = 0; i < 1001; ++i) {
        names += "<string/>";
    }
    const auto decoded = codec->decode(test::soap_envelope(
        "<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType=\"xsd:string[1]\">" + names +
        "</ParameterNames></cwmp:GetParameterValues>"));
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().kind, DecodeErrorKind::Oversized);
}

TEST(Hostile, EveryRoundTripIsCleanUnderSanitizers) {
    auto codec = make_codec();
    for (const auto& sample : test::sample_envelopes()) {
        const auto decoded = codec->decode(codec->encode(sample.envelope, Namespace::Cwmp12));
        ASSERT_TRUE(decoded.has_value()) << sample.name << ": " << decoded.error().detail;
        EXPECT_EQ(decoded->envelope, sample.envelope) << sample.name;
    }
}

}  // namespace
}  // namespace cwmp
