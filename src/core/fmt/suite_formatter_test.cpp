#include "core/fmt/suite_formatter.hpp"

#include <gtest/gtest.h>

#include "core/parse/document.hpp"

namespace flow::core {
namespace {

std::string Fmt(std::string_view text, const std::string& file = "s.yaml") {
  Result<std::string> out = FormatSuiteText(text, file);
  EXPECT_TRUE(out.has_value()) << (out ? "" : out.error().message);
  return out ? *out : std::string();
}

// The formatted text loads to the same document, and formatting it again changes nothing.
void ExpectStable(const std::string& formatted, const std::string& file = "s.yaml") {
  Result<std::string> again = FormatSuiteText(formatted, file);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(*again, formatted);
}

TEST(SuiteFormatter, OrdersKeysByTheRegistryAndKeepsUnknownOnesAfter) {
  const std::string out = Fmt(
      "steps:\n"
      "- request: {url: /get, method: GET}\n"
      "  zzz: 1\n"
      "  name: a\n"
      "node_id: n\n"
      "suite_name: S\n");
  EXPECT_EQ(out,
            "suite_name: S\n"
            "node_id: n\n"
            "steps:\n"
            "  - name: a\n"
            "    request: { method: GET, url: /get }\n"
            "    zzz: 1\n");
  ExpectStable(out);
}

TEST(SuiteFormatter, QuotesTemplatesAndWhatPlainTextWouldChange) {
  const std::string out = Fmt(
      "suite_name: S\nnode_id: n\nvariables:\n  a: '{{x}}'\n  b: '200'\n  c: yes\n  d: 'a: b'\n  e: plain text\n"
      "  f: ''\n  g: \"it's\"\nsteps: []\n");
  EXPECT_EQ(out,
            "suite_name: S\nnode_id: n\nvariables:\n  a: \"{{x}}\"\n  b: \"200\"\n  c: \"yes\"\n"
            "  d: \"a: b\"\n  e: plain text\n  f: \"\"\n  g: it's\nsteps: []\n");
  ExpectStable(out);
}

TEST(SuiteFormatter, KeepsMapsAndListsOfVariablesInTheirOrder) {
  const std::string out = Fmt("suite_name: S\nnode_id: n\nvariables: {z: 1, a: 2}\nsteps: []\n");
  EXPECT_NE(out.find("variables: { z: 1, a: 2 }"), std::string::npos) << out;
}

TEST(SuiteFormatter, FlowCollectionsWithNestedValuesOrTooLongBecomeBlocks) {
  const std::string out = Fmt(
      "suite_name: S\nnode_id: n\nsteps:\n  - {name: a, request: {method: GET, url: /x}}\n"
      "variables: {list: [" + std::string(120, 'x') + "]}\n");
  EXPECT_EQ(out,
            "suite_name: S\nnode_id: n\nvariables:\n  list:\n    - " + std::string(120, 'x') +
                "\nsteps:\n  - name: a\n    request: { method: GET, url: /x }\n");
  ExpectStable(out);
}

TEST(SuiteFormatter, NestedFlowCollectionsThatFitStayOnTheirLine) {
  const std::string out = Fmt(
      "suite_name: S\nnode_id: n\nsteps:\n  - name: a\n    request: {method: GET, url: /}\n"
      "    assert:\n      body:\n        args.\"tags[]\": {equals: [a, b]}\n        x: {in: [1, 2], not_in: [3]}\n"
      "        y: {in: [[[1]]]}\n");
  EXPECT_NE(out.find("        args.\"tags[]\": { equals: [a, b] }\n"), std::string::npos) << out;
  EXPECT_NE(out.find("        x: { in: [1, 2], not_in: [3] }\n"), std::string::npos) << out;
  EXPECT_NE(out.find("        y:\n          in:\n            - [[1]]\n"), std::string::npos) << out;
  ExpectStable(out);
}

TEST(SuiteFormatter, CommentsTravelWithTheirKeys) {
  const std::string out = Fmt(
      "# header of the file\n"
      "\n"
      "# about the id\n"
      "node_id: n   # trailing\n"
      "suite_name: S\n"
      "steps:\n"
      "  # the first step\n"
      "  - request:\n"
      "      method: GET  # always GET\n"
      "      url: /get\n"
      "    # its name\n"
      "    name: a\n"
      "\n"
      "  - name: b\n"
      "    request: {method: GET, url: /b}  # flow\n"
      "# the end\n");
  EXPECT_EQ(out,
            "# header of the file\n"
            "\n"
            "suite_name: S\n"
            "# about the id\n"
            "node_id: n  # trailing\n"
            "steps:\n"
            "  # the first step\n"
            "  # its name\n"
            "  - name: a\n"
            "    request:\n"
            "      method: GET  # always GET\n"
            "      url: /get\n"
            "\n"
            "  - name: b\n"
            "    request: { method: GET, url: /b }  # flow\n"
            "# the end\n");
  ExpectStable(out);
}

TEST(SuiteFormatter, MultiLineStringsBecomeLiteralBlocks) {
  const std::string out = Fmt(
      "suite_name: S\nnode_id: n\nsteps:\n  - name: a\n    request: {method: GET, url: /}\n"
      "    pre_request:\n      script: \"a();\\nb();\\n\"\n");
  EXPECT_NE(out.find("      script: |\n        a();\n        b();\n"), std::string::npos) << out;
  ExpectStable(out);
}

TEST(SuiteFormatter, HashesInsideScalarsAreNoComments) {
  const std::string text =
      "suite_name: \"S # not a comment\"\nnode_id: n\nsteps:\n  - name: a#b\n    request:\n"
      "      method: GET\n      url: /x\n    pre_request:\n      script: |\n        // # no\n"
      "        x = 1;\n";
  const std::string out = Fmt(text);
  EXPECT_EQ(out, text);
}

TEST(SuiteFormatter, RefusesCommentsItCannotPlace) {
  for (const char* text : {
           "suite_name: S\nnode_id: n\nsteps: [\n  # inside\n  a]\n",
           "suite_name:\n  # between\n  S\nnode_id: n\n",
           "suite_name: \"a\n  b\"  # after a two-line scalar\nnode_id: n\n",
       }) {
    Result<std::string> out = FormatSuiteText(text, "s.yaml");
    ASSERT_FALSE(out.has_value()) << text;
    EXPECT_EQ(out.error().reason, "fmt-refused");
    EXPECT_NE(out.error().message.find("fmt cannot keep the comment here"), std::string::npos);
    ASSERT_TRUE(out.error().where.has_value());
    EXPECT_GT(out.error().where->line, 1);
  }
}

TEST(SuiteFormatter, RefusesAnchorsAliasesAndMergeKeys) {
  for (const char* text : {"a: &x 1\nb: *x\n", "d: &d {k: 1}\ne:\n  <<: *d\n", "e:\n  <<: {k: 1}\n"}) {
    Result<std::string> out = FormatSuiteText(text, "s.yaml");
    ASSERT_FALSE(out.has_value()) << text;
    EXPECT_NE(out.error().message.find("anchors, aliases or merge keys"), std::string::npos)
        << out.error().message;
  }
}

TEST(SuiteFormatter, JsonSuitesStayJsonInCanonicalOrder) {
  const std::string out =
      Fmt(R"({"steps": [{"request": {"url": "/", "method": "GET"}, "name": "a"}], "node_id": "n", "suite_name": "S"})",
          "s.json");
  EXPECT_EQ(out,
            "{\n  \"suite_name\": \"S\",\n  \"node_id\": \"n\",\n  \"steps\": [\n    {\n      \"name\": \"a\",\n"
            "      \"request\": {\n        \"method\": \"GET\",\n        \"url\": \"/\"\n      }\n    }\n  ]\n}\n");
  ExpectStable(out, "s.json");
}

TEST(SuiteFormatter, ConfigFilesUseTheConfigOrder) {
  Result<std::string> out =
      FormatSuiteText("execution: {mode: parallel}\nproject_name: p\n", "flow-test.config.yml", FormatRoot::kConfig);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(*out, "project_name: p\nexecution: { mode: parallel }\n");
}

TEST(SuiteFormatter, SyntaxErrorsAreTheLoadersErrors) {
  Result<std::string> out = FormatSuiteText("a: [1\n", "s.yaml");
  ASSERT_FALSE(out.has_value());
  EXPECT_NE(out.error().reason, "fmt-refused");
}

TEST(SuiteFormatter, EmptyFilesStayAsTheyAre) { EXPECT_EQ(Fmt("\n"), "\n"); }

}  // namespace
}  // namespace flow::core
